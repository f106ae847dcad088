import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';

type SessionState = 'linked' | 'needs-login';

/** One Blink login of one chat user. Tokens stay sealed here; see src/secrets. */
export interface BlinkSession {
  readonly id: string;
  readonly ownerUserId: string;
  readonly accountId: string;
  readonly tier: string;
  readonly region: string | null;
  readonly hardwareId: string;
  readonly clientId: string | null;
  readonly blinkUserId: string | null;
  /** For display only. */
  readonly email: string;
  /** Access + refresh token sealed together; null once the session needs a new login. */
  readonly sealedTokens: Buffer | null;
  readonly accessExpiresAt: number | null;
  readonly state: SessionState;
  readonly linkedAt: number;
  readonly updatedAt: number;
  /** Blink's own timestamp string of the newest clip handled, passed back verbatim. */
  readonly pollWatermark: string | null;
  readonly pollWatermarkMs: number | null;
  /** The last poll that stored something (a new cursor, clips, a backoff); idle polls write nothing. */
  readonly lastPollAt: number | null;
  readonly backoffUntil: number | null;
  readonly ownerNotifiedAt: number | null;
}

export interface SaveSessionInput {
  readonly ownerUserId: string;
  readonly accountId: string;
  readonly tier: string;
  readonly region?: string | null;
  readonly hardwareId: string;
  readonly clientId?: string | null;
  readonly blinkUserId?: string | null;
  readonly email: string;
  readonly sealedTokens: Buffer;
  readonly accessExpiresAt: number;
}

/** What one alert poll needs of its session row (no tokens: see `pollState`). */
export interface SessionPollState {
  readonly state: SessionState;
  readonly linkedAt: number;
  readonly pollWatermark: string | null;
  readonly pollWatermarkMs: number | null;
  readonly backoffUntil: number | null;
}

interface SessionRow {
  id: string;
  owner_user_id: string;
  account_id: string;
  tier: string;
  region: string | null;
  hardware_id: string;
  client_id: string | null;
  blink_user_id: string | null;
  email: string;
  sealed_tokens: Buffer | null;
  access_expires_at: number | null;
  state: SessionState;
  linked_at: number;
  updated_at: number;
  poll_watermark: string | null;
  poll_watermark_ms: number | null;
  last_poll_at: number | null;
  backoff_until: number | null;
  owner_notified_at: number | null;
}

const toSession = (r: SessionRow): BlinkSession => ({
  id: r.id,
  ownerUserId: r.owner_user_id,
  accountId: r.account_id,
  tier: r.tier,
  region: r.region,
  hardwareId: r.hardware_id,
  clientId: r.client_id,
  blinkUserId: r.blink_user_id,
  email: r.email,
  sealedTokens: r.sealed_tokens,
  accessExpiresAt: r.access_expires_at,
  state: r.state,
  linkedAt: r.linked_at,
  updatedAt: r.updated_at,
  pollWatermark: r.poll_watermark,
  pollWatermarkMs: r.poll_watermark_ms,
  lastPollAt: r.last_poll_at,
  backoffUntil: r.backoff_until,
  ownerNotifiedAt: r.owner_notified_at,
});

export function createSessionsRepository(db: Database, options: { newId?: () => string } = {}) {
  const newId = options.newId ?? randomUUID;
  const ensureUser = db.prepare<[string, number, number]>('INSERT INTO users (id, created_at, updated_at) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING');
  // A new login of the same owner keeps the row id, so chat links survive a re-login.
  // Another Blink account starts over: new linked_at, no watermark (no history replay).
  const upsert = db.prepare(
    `INSERT INTO blink_sessions (id, owner_user_id, account_id, tier, region, hardware_id, client_id, blink_user_id,
        email, sealed_tokens, access_expires_at, state, linked_at, updated_at)
     VALUES (@id, @ownerUserId, @accountId, @tier, @region, @hardwareId, @clientId, @blinkUserId,
        @email, @sealedTokens, @accessExpiresAt, 'linked', @now, @now)
     ON CONFLICT (owner_user_id) DO UPDATE SET
        linked_at = CASE WHEN account_id = excluded.account_id THEN linked_at ELSE excluded.linked_at END,
        poll_watermark = CASE WHEN account_id = excluded.account_id THEN poll_watermark ELSE NULL END,
        poll_watermark_ms = CASE WHEN account_id = excluded.account_id THEN poll_watermark_ms ELSE NULL END,
        account_id = excluded.account_id, tier = excluded.tier, region = excluded.region,
        hardware_id = excluded.hardware_id, client_id = excluded.client_id, blink_user_id = excluded.blink_user_id,
        email = excluded.email, sealed_tokens = excluded.sealed_tokens, access_expires_at = excluded.access_expires_at,
        state = 'linked', updated_at = excluded.updated_at, backoff_until = NULL, owner_notified_at = NULL`,
  );
  const byOwner = db.prepare<[string], SessionRow>('SELECT * FROM blink_sessions WHERE owner_user_id = ?');
  const byId = db.prepare<[string], SessionRow>('SELECT * FROM blink_sessions WHERE id = ?');
  const pollStateById = db.prepare<
    [string],
    { state: SessionState; linked_at: number; poll_watermark: string | null; poll_watermark_ms: number | null; backoff_until: number | null }
  >('SELECT state, linked_at, poll_watermark, poll_watermark_ms, backoff_until FROM blink_sessions WHERE id = ?');
  const linked = db.prepare<[], SessionRow>("SELECT * FROM blink_sessions WHERE state = 'linked' ORDER BY linked_at, id");
  const tokens = db.prepare<[Buffer, number, number, string]>(
    "UPDATE blink_sessions SET sealed_tokens = ?, access_expires_at = ?, updated_at = ? WHERE id = ? AND state = 'linked'",
  );
  const needsLogin = db.prepare<[number, string]>(
    "UPDATE blink_sessions SET state = 'needs-login', sealed_tokens = NULL, access_expires_at = NULL, updated_at = ? WHERE id = ?",
  );
  const watermark = db.prepare<[string | null, number | null, number, number, string]>(
    'UPDATE blink_sessions SET poll_watermark = ?, poll_watermark_ms = ?, last_poll_at = ?, updated_at = ? WHERE id = ?',
  );
  const poll = db.prepare<[number, number | null, number, string]>(
    'UPDATE blink_sessions SET last_poll_at = ?, backoff_until = ?, updated_at = ? WHERE id = ?',
  );
  // The alert poller's cursor: a successful poll clears any backoff.
  const pollCursor = db.prepare<[string, number, number, string]>(
    'UPDATE blink_sessions SET poll_watermark = ?, poll_watermark_ms = ?, last_poll_at = ?, backoff_until = NULL WHERE id = ?',
  );
  const pollBackoff = db.prepare<[number, number | null, string]>('UPDATE blink_sessions SET last_poll_at = ?, backoff_until = ? WHERE id = ?');
  const pollable = db.prepare<[], { id: string; backoff_until: number | null }>("SELECT id, backoff_until FROM blink_sessions WHERE state = 'linked'");
  const stateCounts = db.prepare<[], { state: string; n: number }>('SELECT state, count(*) AS n FROM blink_sessions GROUP BY state');
  const notified = db.prepare<[number, number, string]>(
    'UPDATE blink_sessions SET owner_notified_at = ?, updated_at = ? WHERE id = ? AND owner_notified_at IS NULL',
  );
  const remove = db.prepare<[string]>('DELETE FROM blink_sessions WHERE id = ?');
  const setHardwareId = db.prepare<[string, number, string]>(
    'UPDATE users SET blink_hardware_id = ?, updated_at = ? WHERE id = ? AND blink_hardware_id IS NULL',
  );
  const getHardwareId = db.prepare<[string], { blink_hardware_id: string | null }>('SELECT blink_hardware_id FROM users WHERE id = ?');
  const hardwareId = db.transaction((ownerUserId: string, fresh: string, now: number): string => {
    ensureUser.run(ownerUserId, now, now);
    setHardwareId.run(fresh, now, ownerUserId);
    const stored = getHardwareId.get(ownerUserId)?.blink_hardware_id;
    if (!stored) throw new Error('hardware id vanished inside its own transaction');
    return stored;
  });
  const sealedRows = db.prepare<[], { id: string; owner_user_id: string; sealed_tokens: Buffer }>(
    'SELECT id, owner_user_id, sealed_tokens FROM blink_sessions WHERE sealed_tokens IS NOT NULL ORDER BY id',
  );
  const replaceSealed = db.prepare<[Buffer, string]>('UPDATE blink_sessions SET sealed_tokens = ? WHERE id = ?');
  const reseal = db.transaction((fn: (sealed: Buffer, ownerUserId: string, id: string) => Buffer): number => {
    const rows = sealedRows.all();
    for (const row of rows) replaceSealed.run(fn(row.sealed_tokens, row.owner_user_id, row.id), row.id);
    return rows.length;
  });

  const save = db.transaction((input: SaveSessionInput, now: number): BlinkSession => {
    ensureUser.run(input.ownerUserId, now, now);
    upsert.run({
      id: newId(),
      ownerUserId: input.ownerUserId,
      accountId: input.accountId,
      tier: input.tier,
      region: input.region ?? null,
      hardwareId: input.hardwareId,
      clientId: input.clientId ?? null,
      blinkUserId: input.blinkUserId ?? null,
      email: input.email,
      sealedTokens: input.sealedTokens,
      accessExpiresAt: input.accessExpiresAt,
      now,
    });
    // A user without a stored hardware id (a login saved by another path) keeps this one.
    setHardwareId.run(input.hardwareId, now, input.ownerUserId);
    const row = byOwner.get(input.ownerUserId);
    if (!row) throw new Error('session vanished inside its own transaction');
    return toSession(row);
  });

  return {
    /**
     * The user's Blink hardware id: the stored one, or `fresh` stored now (creating the user
     * row if needed). Kept for every later login and refresh of that user.
     */
    hardwareIdFor(ownerUserId: string, fresh: string, now: number): string {
      return hardwareId(ownerUserId, fresh, now);
    },
    /**
     * Stores a fresh login for its owner (creating the user row if needed), state 'linked'.
     * Replaces the owner's previous session in place: same id, links kept.
     */
    saveForOwner(input: SaveSessionInput, now: number): BlinkSession {
      return save(input, now);
    },
    getByOwner(ownerUserId: string): BlinkSession | undefined {
      const row = byOwner.get(ownerUserId);
      return row && toSession(row);
    },
    getById(id: string): BlinkSession | undefined {
      const row = byId.get(id);
      return row && toSession(row);
    },
    /**
     * The columns one alert poll reads, and nothing else: at 10,000 accounts a poll a
     * minute each, copying the sealed tokens out every time was measurable CPU
     * (docs/performance.md, "Many accounts").
     */
    pollState(id: string): SessionPollState | undefined {
      const r = pollStateById.get(id);
      return (
        r && { state: r.state, linkedAt: r.linked_at, pollWatermark: r.poll_watermark, pollWatermarkMs: r.poll_watermark_ms, backoffUntil: r.backoff_until }
      );
    },
    /** Sessions to poll, oldest link first. */
    listLinked(): BlinkSession[] {
      return linked.all().map(toSession);
    },
    /** Replaces both sealed tokens and the access expiry in one statement. False if not linked. */
    updateTokens(id: string, sealedTokens: Buffer, accessExpiresAt: number, now: number): boolean {
      return tokens.run(sealedTokens, accessExpiresAt, now, id).changes > 0;
    },
    /** Refresh failed for good: tokens are dropped and polling stops until a new /login. */
    markNeedsLogin(id: string, now: number): boolean {
      return needsLogin.run(now, id).changes > 0;
    },
    /** Records the newest clip handled and the poll time. */
    setWatermark(id: string, value: { watermark: string | null; watermarkMs: number | null }, now: number): void {
      watermark.run(value.watermark, value.watermarkMs, now, now, id);
    },
    /** Records a poll attempt and an optional "not before" time for the next one. */
    recordPoll(id: string, now: number, backoffUntil: number | null = null): void {
      poll.run(now, backoffUntil, now, id);
    },
    /** A poll covered everything up to `watermark`: store the cursor and clear the backoff. */
    advancePollCursor(id: string, watermark: { updatedAt: string; updatedAtMs: number }, now: number): void {
      pollCursor.run(watermark.updatedAt, watermark.updatedAtMs, now, id);
    },
    /** A poll failed or was skipped: no new poll before `until` (null: no limit). */
    recordPollBackoff(id: string, now: number, until: number | null): void {
      pollBackoff.run(now, until, id);
    },
    /** Linked sessions with their backoff, for the poll scheduler. */
    pollable(): { id: string; backoffUntil: number | null }[] {
      return pollable.all().map((r) => ({ id: r.id, backoffUntil: r.backoff_until }));
    },
    /** Sessions per state ('linked', 'needs-login'). */
    countByState(): Map<string, number> {
      return new Map(stateCounts.all().map((r) => [r.state, r.n]));
    },
    /** True only the first time after a (re)login, so the owner is told once. */
    markOwnerNotified(id: string, now: number): boolean {
      return notified.run(now, now, id).changes > 0;
    },
    /**
     * Replaces every sealed token with `fn(sealed, owner, id)`, reading and writing inside
     * one IMMEDIATE transaction (no other writer between the read and the write, so no
     * token refreshed meanwhile is overwritten with an older one). If `fn` throws, nothing
     * changes. Returns how many rows were re-sealed.
     */
    resealAll(fn: (sealed: Buffer, ownerUserId: string, id: string) => Buffer): number {
      return reseal.immediate(fn);
    },
    /** Deletes the session; its chat links, clips seen, health and pending alerts go with it. */
    delete(id: string): boolean {
      return remove.run(id).changes > 0;
    },
  };
}

export type SessionsRepository = ReturnType<typeof createSessionsRepository>;
