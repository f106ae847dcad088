import type { Database } from 'better-sqlite3';

type OutboxKind = 'motion' | 'ring' | 'health' | 'text';
export type OutboxState = 'pending' | 'sent' | 'failed' | 'skipped';

export interface OutboxItem {
  readonly id: number;
  readonly sessionId: string | null;
  /** Blink media id, or a caller-chosen dedupe key for health and text notices. */
  readonly mediaId: string;
  readonly chat: string;
  readonly kind: OutboxKind;
  /** Parsed JSON; the sender validates it with its own schema. */
  readonly payload: unknown;
  readonly state: OutboxState;
  readonly attempts: number;
  readonly nextAttemptAt: number;
  readonly lastError: string | null;
  readonly createdAt: number;
  readonly sentAt: number | null;
  readonly platformMessageId: string | null;
}

/**
 * A row as stored, payload still JSON text: the alert delivery worker parses it with its
 * own zod schema, so an unreadable payload fails that one row instead of the whole read.
 */
export interface OutboxRecord {
  readonly id: number;
  readonly sessionId: string | null;
  readonly mediaId: string;
  readonly chat: string;
  readonly kind: OutboxKind;
  readonly payload: string;
  readonly state: OutboxState;
  readonly attempts: number;
  readonly nextAttemptAt: number;
  readonly lastError: string | null;
}

export interface EnqueueInput {
  readonly sessionId: string | null;
  readonly mediaId: string;
  readonly chat: string;
  readonly kind: OutboxKind;
  readonly payload: unknown;
  /** Default 'pending'; 'skipped' records a clip decided against (history, alerts off). */
  readonly state?: OutboxState;
}

export interface OutboxOptions {
  /** First retry delay after a failure, ms; doubles per attempt. Default 5 s. */
  readonly baseRetryMs?: number;
  /** Longest retry delay, ms. Default 15 min. */
  readonly maxRetryMs?: number;
  /** Attempts before a row is given up as 'failed'. Default 12. */
  readonly maxAttempts?: number;
}

interface OutboxRow {
  id: number;
  session_id: string | null;
  media_id: string;
  chat: string;
  kind: OutboxKind;
  payload: string;
  state: OutboxState;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  created_at: number;
  sent_at: number | null;
  platform_message_id: string | null;
}

const toRecord = (r: OutboxRow): OutboxRecord => ({
  id: r.id,
  sessionId: r.session_id,
  mediaId: r.media_id,
  chat: r.chat,
  kind: r.kind,
  payload: r.payload,
  state: r.state,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  lastError: r.last_error,
});

const toItem = (r: OutboxRow): OutboxItem => ({
  ...toRecord(r),
  payload: JSON.parse(r.payload) as unknown,
  createdAt: r.created_at,
  sentAt: r.sent_at,
  platformMessageId: r.platform_message_id,
});

/** Error text is stored for operators; keep it short. Callers must not pass secrets. */
const MAX_ERROR_LENGTH = 500;

/**
 * The outbox is both the queue of things to send and the record of what was sent:
 * one row per (session, clip, chat, kind), so an alert is enqueued once however many
 * times the poller sees the clip, and restarts resume from the rows.
 */
export function createOutboxRepository(db: Database, options: OutboxOptions = {}) {
  const baseRetryMs = options.baseRetryMs ?? 5_000;
  const maxRetryMs = options.maxRetryMs ?? 15 * 60_000;
  const maxAttempts = options.maxAttempts ?? 12;

  const insert = db.prepare<[string | null, string, string, string, string, OutboxState, number, number]>(
    `INSERT INTO outbox (session_id, media_id, chat, kind, payload, state, next_attempt_at, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  );
  const due = db.prepare<[number, number], OutboxRow>(
    "SELECT * FROM outbox WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?",
  );
  const lease = db.prepare<[number, number]>('UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ? WHERE id = ?');
  const get = db.prepare<[number], OutboxRow>('SELECT * FROM outbox WHERE id = ?');
  const sent = db.prepare<[number, string | null, number]>(
    "UPDATE outbox SET state = 'sent', sent_at = ?, platform_message_id = ?, last_error = NULL WHERE id = ? AND state = 'pending'",
  );
  const retry = db.prepare<[number, string, number]>("UPDATE outbox SET next_attempt_at = ?, last_error = ? WHERE id = ? AND state = 'pending'");
  const finish = db.prepare<[OutboxState, string, number]>("UPDATE outbox SET state = ?, last_error = ? WHERE id = ? AND state = 'pending'");
  const pendingForChat = db.prepare<[string], OutboxRow>("SELECT * FROM outbox WHERE chat = ? AND state = 'pending' ORDER BY id");
  const delivered = db.prepare<[string, string, string], { one: number }>(
    "SELECT 1 AS one FROM outbox WHERE session_id = ? AND media_id = ? AND chat = ? AND state = 'sent' LIMIT 1",
  );
  // Per-chat FIFO: only each chat's oldest pending row is a candidate.
  const heads = db.prepare<[], OutboxRow>(
    `SELECT o.* FROM outbox o JOIN (SELECT chat, MIN(id) AS id FROM outbox WHERE state = 'pending' GROUP BY chat) h
       ON o.id = h.id ORDER BY o.next_attempt_at, o.id`,
  );
  const settle = db.prepare<[OutboxState, number | null, string | null, string | null, number]>(
    'UPDATE outbox SET state = ?, sent_at = ?, platform_message_id = ?, last_error = ? WHERE id = ?',
  );
  const reschedule = db.prepare<[number, number, string, number]>('UPDATE outbox SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?');
  const skipChat = db.prepare<[string, string]>("UPDATE outbox SET state = 'skipped', last_error = ? WHERE chat = ? AND state = 'pending'");
  // Settled rows only: a pending row is work still to do, whatever its age. Ids grow with
  // created_at, so the oldest rows are found first without an index on created_at.
  const pruneSettled = db.prepare<[number, number]>(
    "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE created_at < ? AND state <> 'pending' ORDER BY id LIMIT ?)",
  );
  const stateCounts = db.prepare<[], { state: OutboxState; n: number }>('SELECT state, COUNT(*) AS n FROM outbox GROUP BY state');

  const enqueueOne = (item: EnqueueInput, now: number): 'inserted' | 'already' =>
    insert.run(item.sessionId, item.mediaId, item.chat, item.kind, JSON.stringify(item.payload ?? null), item.state ?? 'pending', now, now).changes > 0
      ? 'inserted'
      : 'already';
  const enqueueMany = db.transaction((items: readonly EnqueueInput[], now: number) => {
    let inserted = 0;
    for (const item of items) if (enqueueOne(item, now) === 'inserted') inserted++;
    return { inserted, already: items.length - inserted };
  });
  const claim = db.transaction((now: number, limit: number, leaseMs: number): OutboxItem[] => {
    const rows = due.all(now, limit);
    for (const row of rows) lease.run(now + leaseMs, row.id);
    return rows.map((r) => toItem({ ...r, attempts: r.attempts + 1, next_attempt_at: now + leaseMs }));
  });

  return {
    /** Adds a row once; the same (session, media, chat, kind) again is 'already'. */
    enqueue(item: EnqueueInput, now: number): 'inserted' | 'already' {
      return enqueueOne(item, now);
    },
    /** Many rows in one transaction (one clip to every linked chat). */
    enqueueMany(items: readonly EnqueueInput[], now: number): { inserted: number; already: number } {
      return enqueueMany(items, now);
    },
    /**
     * Takes up to `limit` due pending rows, oldest first, counting an attempt and leasing
     * them for `leaseMs` (default 60 s) so that a crashed send is retried after the lease.
     */
    claimDue(now: number, { limit = 20, leaseMs = 60_000 }: { limit?: number; leaseMs?: number } = {}): OutboxItem[] {
      return claim(now, limit, leaseMs);
    },
    get(id: number): OutboxItem | undefined {
      const row = get.get(id);
      return row && toItem(row);
    },
    markSent(id: number, now: number, platformMessageId: string | null = null): boolean {
      return sent.run(now, platformMessageId, id).changes > 0;
    },
    /**
     * Schedules a retry with exponential backoff (or at `retryAfterMs` when the platform
     * said so), or gives the row up as 'failed' when `permanent` or out of attempts.
     */
    markFailed(id: number, now: number, failure: { error: string; permanent?: boolean; retryAfterMs?: number }): 'retry' | 'failed' | 'unknown' {
      const row = get.get(id);
      if (row?.state !== 'pending') return 'unknown';
      const error = failure.error.slice(0, MAX_ERROR_LENGTH);
      if (failure.permanent || row.attempts >= maxAttempts) {
        finish.run('failed', error, id);
        return 'failed';
      }
      const backoff = Math.min(maxRetryMs, baseRetryMs * 2 ** Math.max(0, row.attempts - 1));
      retry.run(now + Math.max(backoff, failure.retryAfterMs ?? 0), error, id);
      return 'retry';
    },
    /** Not sent on purpose (chat gone, alerts turned off meanwhile, too old). */
    markSkipped(id: number, reason: string): boolean {
      return finish.run('skipped', reason.slice(0, MAX_ERROR_LENGTH), id).changes > 0;
    },
    /** Pending rows of one chat in the order they were enqueued. */
    listPendingForChat(chat: string): OutboxItem[] {
      return pendingForChat.all(chat).map(toItem);
    },
    /** True when that clip was sent to that chat (any kind). */
    isDelivered(sessionId: string, mediaId: string, chat: string): boolean {
      return delivered.get(sessionId, mediaId, chat) !== undefined;
    },

    // The alert delivery worker's per-chat FIFO. It counts attempts itself and owns the head
    // row it is sending, so these write unconditionally (no `state = 'pending'` guard).

    /** Each chat's oldest pending row, soonest due first. */
    pendingHeads(): OutboxRecord[] {
      return heads.all().map(toRecord);
    },
    /** Sets the final state of a row (sent with its time and message id, or failed/skipped with a reason). */
    settle(id: number, outcome: { state: OutboxState; sentAt?: number; platformMessageId?: string | null; reason?: string }): void {
      settle.run(outcome.state, outcome.sentAt ?? null, outcome.platformMessageId ?? null, outcome.reason ?? null, id);
    },
    /** Stores the worker's attempt count and next attempt time (epoch ms) with the reason. */
    reschedule(id: number, attempts: number, at: number, reason: string): void {
      reschedule.run(attempts, at, reason, id);
    },
    /** Marks every pending row of a chat 'skipped' (chat gone); returns how many. */
    skipPendingForChat(chat: string, reason: string): number {
      return skipChat.run(reason, chat).changes;
    },
    /**
     * Deletes up to `limit` settled rows (sent, skipped, failed) created before `before`
     * (epoch ms), oldest first; returns how many. Pending rows are never deleted.
     */
    pruneSettledBatch(before: number, limit: number): number {
      return pruneSettled.run(before, limit).changes;
    },
    /** How many rows are in each state. */
    countByState(): Record<OutboxState, number> {
      const counts: Record<OutboxState, number> = { pending: 0, sent: 0, failed: 0, skipped: 0 };
      for (const r of stateCounts.all()) counts[r.state] = r.n;
      return counts;
    },
  };
}
