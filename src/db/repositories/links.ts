import type { Database } from 'better-sqlite3';
import { z } from 'zod';

/** Quiet hours as local wall-clock 'HH:MM'; the window may cross midnight. */
export interface QuietHours {
  readonly start: string;
  readonly end: string;
}

export interface ChatLink {
  readonly chat: string;
  readonly sessionId: string;
  readonly linkedBy: string;
  readonly linkedAt: number;
  readonly alertsEnabled: boolean;
  readonly quietHours: QuietHours | null;
  /** "/mute all": no alerts in this chat until then. */
  readonly mutedUntil: number | null;
  /** False once the platform said the bot was blocked or removed. */
  readonly active: boolean;
  /**
   * Other allowlist keys that admit this chat (a Discord channel's guild, a DM's channel);
   * null for a link made before the bot recorded them (see migrations/003).
   */
  readonly allowKeys: readonly string[] | null;
}

interface ChatLinkRow {
  chat: string;
  session_id: string;
  linked_by: string;
  linked_at: number;
  alerts_enabled: number;
  quiet_start: string | null;
  quiet_end: string | null;
  muted_until: number | null;
  active: number;
  allow_keys: string | null;
}

const AllowKeys = z.array(z.string());

/** The stored JSON array; an unreadable value counts as unknown (null), never as "no keys". */
function parseAllowKeys(text: string | null): string[] | null {
  if (text === null) return null;
  try {
    const parsed = AllowKeys.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export const toChatLink = (r: ChatLinkRow): ChatLink => ({
  chat: r.chat,
  sessionId: r.session_id,
  linkedBy: r.linked_by,
  linkedAt: r.linked_at,
  alertsEnabled: r.alerts_enabled === 1,
  quietHours: r.quiet_start !== null && r.quiet_end !== null ? { start: r.quiet_start, end: r.quiet_end } : null,
  mutedUntil: r.muted_until,
  active: r.active === 1,
  allowKeys: parseAllowKeys(r.allow_keys),
});

const HH_MM = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;

export interface LinkInput {
  chat: string;
  sessionId: string;
  linkedBy: string;
  /** The chat's other allowlist keys (ChatContext.aliases); default none. */
  allowKeys?: readonly string[];
}

export function createLinksRepository(db: Database) {
  const get = db.prepare<[string], ChatLinkRow>('SELECT * FROM chat_links WHERE chat = ?');
  const bySession = db.prepare<[string], ChatLinkRow>('SELECT * FROM chat_links WHERE session_id = ? ORDER BY linked_at, chat');
  const alertChats = db.prepare<[string], { chat: string }>(
    'SELECT chat FROM chat_links WHERE session_id = ? AND active = 1 AND alerts_enabled = 1 ORDER BY linked_at, chat',
  );
  const remove = db.prepare<[string]>('DELETE FROM chat_links WHERE chat = ?');
  const insert = db.prepare<[string, string, string, number, string]>(
    'INSERT INTO chat_links (chat, session_id, linked_by, linked_at, alerts_enabled, active, allow_keys) VALUES (?, ?, ?, ?, 1, 1, ?)',
  );
  const relink = db.prepare<[string, number, string, string]>(
    'UPDATE chat_links SET linked_by = ?, linked_at = ?, alerts_enabled = 1, active = 1, allow_keys = ? WHERE chat = ?',
  );
  const setAllowKeys = db.prepare<[string, string]>('UPDATE chat_links SET allow_keys = ? WHERE chat = ?');
  const admittedBy = db.prepare<[string, string], ChatLinkRow>(
    `SELECT * FROM chat_links WHERE chat = ?
       OR (allow_keys IS NOT NULL AND EXISTS (SELECT 1 FROM json_each(chat_links.allow_keys) WHERE value = ?))
     ORDER BY chat`,
  );
  const alerts = db.prepare<[number, string]>('UPDATE chat_links SET alerts_enabled = ? WHERE chat = ?');
  const quiet = db.prepare<[string | null, string | null, string]>('UPDATE chat_links SET quiet_start = ?, quiet_end = ? WHERE chat = ?');
  const mute = db.prepare<[number | null, string]>('UPDATE chat_links SET muted_until = ? WHERE chat = ?');
  const active = db.prepare<[number, string]>('UPDATE chat_links SET active = ? WHERE chat = ?');

  const link = db.transaction((input: LinkInput, now: number): ChatLink => {
    const existing = get.get(input.chat);
    const keys = JSON.stringify(input.allowKeys ?? []);
    if (existing && existing.session_id === input.sessionId) {
      relink.run(input.linkedBy, now, keys, input.chat);
    } else {
      // Another session's per-camera settings mean nothing here: the delete cascades them.
      if (existing) remove.run(input.chat);
      insert.run(input.chat, input.sessionId, input.linkedBy, now, keys);
    }
    const row = get.get(input.chat);
    if (!row) throw new Error('link vanished inside its own transaction');
    return toChatLink(row);
  });

  return {
    /** Binds the chat to the session with alerts on (re-linking turns alerts and the chat back on). */
    link(input: LinkInput, now: number): ChatLink {
      return link(input, now);
    },
    /** Records the chat's other allowlist keys (done at each command, so older links learn them). */
    setAllowKeys(chat: string, keys: readonly string[]): boolean {
      return setAllowKeys.run(JSON.stringify(keys), chat).changes > 0;
    },
    /** Links of the chat `key` names, or of chats that `key` admits through their allow keys. */
    admittedBy(key: string): ChatLink[] {
      return admittedBy.all(key, key).map(toChatLink);
    },
    /** True when the chat was linked. Its per-camera settings go with it. */
    unlink(chat: string): boolean {
      return remove.run(chat).changes > 0;
    },
    get(chat: string): ChatLink | undefined {
      const row = get.get(chat);
      return row && toChatLink(row);
    },
    listBySession(sessionId: string): ChatLink[] {
      return bySession.all(sessionId).map(toChatLink);
    },
    /** Chats of the session that take alerts: reachable, with alerts on (per-camera settings aside). */
    alertChats(sessionId: string): string[] {
      return alertChats.all(sessionId).map((r) => r.chat);
    },
    /** Whole-account alerts on or off for the chat. False when the chat is not linked. */
    setAlerts(chat: string, enabled: boolean): boolean {
      return alerts.run(enabled ? 1 : 0, chat).changes > 0;
    },
    /** Sets or (null) clears quiet hours. Throws on anything but 'HH:MM' 00:00-23:59. */
    setQuietHours(chat: string, hours: QuietHours | null): boolean {
      if (hours && (!HH_MM.test(hours.start) || !HH_MM.test(hours.end))) throw new RangeError('quiet hours must be HH:MM');
      return quiet.run(hours?.start ?? null, hours?.end ?? null, chat).changes > 0;
    },
    /** "/mute all <duration>" (epoch ms) or null for "/mute off". */
    setMutedUntil(chat: string, until: number | null): boolean {
      return mute.run(until, chat).changes > 0;
    },
    /** Marks the chat unreachable (blocked, kicked) or reachable again. */
    setActive(chat: string, isActive: boolean): boolean {
      return active.run(isActive ? 1 : 0, chat).changes > 0;
    },
  };
}

export type LinksRepository = ReturnType<typeof createLinksRepository>;
