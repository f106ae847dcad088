import type { Database } from 'better-sqlite3';

type AuditAction =
  | 'arm'
  | 'disarm'
  | 'motion'
  | 'snap'
  | 'allow'
  | 'deny'
  | 'login'
  | 'logout'
  | 'link'
  | 'unlink'
  | 'alerts'
  | 'mute'
  | 'quiet'
  | (string & {});

export interface AuditEntry {
  readonly at: number;
  /** Who did it: 'tg:123', 'dc:456' or 'system'. */
  readonly actor: string;
  readonly chat: string | null;
  readonly action: AuditAction;
  /** Network, camera or chat acted on. */
  readonly target: string | null;
  readonly result: 'ok' | 'error';
  /** Short, secret-free note (e.g. an error code). */
  readonly detail: string | null;
}

interface AuditRow {
  id: number;
  at: number;
  actor: string;
  chat: string | null;
  action: string;
  target: string | null;
  result: 'ok' | 'error';
  detail: string | null;
}

export function createAuditRepository(db: Database) {
  const insert = db.prepare<[number, string, string | null, string, string | null, string, string | null]>(
    'INSERT INTO audit_log (at, actor, chat, action, target, result, detail) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const recentAll = db.prepare<[number], AuditRow>('SELECT * FROM audit_log ORDER BY id DESC LIMIT ?');
  const recentChat = db.prepare<[string, number], AuditRow>('SELECT * FROM audit_log WHERE chat = ? ORDER BY id DESC LIMIT ?');
  // Oldest first through audit_log_by_time, a bounded batch per statement.
  const pruneSome = db.prepare<[number, number]>('DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log WHERE at < ? ORDER BY at LIMIT ?)');
  return {
    record(entry: AuditEntry): number {
      const r = insert.run(entry.at, entry.actor, entry.chat, entry.action, entry.target, entry.result, entry.detail?.slice(0, 500) ?? null);
      return Number(r.lastInsertRowid);
    },
    /** Newest first, optionally for one chat. */
    listRecent(options: { chat?: string; limit?: number } = {}): (AuditEntry & { id: number })[] {
      const limit = options.limit ?? 50;
      const rows = options.chat === undefined ? recentAll.all(limit) : recentChat.all(options.chat, limit);
      return rows.map((r) => ({ ...r }));
    },
    /** Deletes up to `limit` entries older than `at` (epoch ms), oldest first; returns how many. */
    pruneBatch(at: number, limit: number): number {
      return pruneSome.run(at, limit).changes;
    },
  };
}
