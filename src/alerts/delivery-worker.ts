/**
 * Sends due outbox rows: per chat strictly in order (only a chat's oldest pending row is
 * tried), a few chats in parallel. Mutes, alert switches and quiet hours are re-checked
 * at send time. Failures follow the DeliveryError kinds: transient → retry later with
 * backoff (Retry-After honoured, bounded), chat-gone → link inactive and owner told,
 * rejected → text fallback. A clip that cannot be downloaded is retried a few times, then
 * announced as "clip unavailable" with its thumbnail (F15/F16). Rows stay pending until
 * sent, so a restart resumes them.
 */
import { PassThrough, type Readable } from 'node:stream';
import { waitAtMost, type Clock } from '../clock.js';
import { linkAllowed } from '../core/chat-access.js';
import type { Reply } from '../core/reply.js';
import { DeliveryError, type ChatSender } from '../core/sender.js';
import { isWithinQuietHours, type AlertSettingsRepository } from '../db/repositories/alert-settings.js';
import type { AllowlistRepository } from '../db/repositories/allowlist.js';
import type { LinksRepository, QuietHours } from '../db/repositories/links.js';
import type { Logger } from '../log.js';
import type { AlertLatency } from './alert-latency.js';
import { parseClipPayload, parseTextPayload } from './alert-payload.js';
import { clipCaption, clipReply } from './alert-reply.js';
import type { AlertSessions } from './alert-sessions.js';
import type { AlertStore, OutboxRow } from './alert-store.js';
import type { OwnerNotices } from './owner-notice.js';

export interface DeliveryWorkerDeps {
  store: AlertStore;
  links: LinksRepository;
  /** Checked at send time: a chat denied while its alert waited gets nothing. */
  allowlist: Pick<AllowlistRepository, 'has'>;
  /** The owner of a session: a notice to the owner's own private chat needs no link there. */
  ownerOf: (sessionId: string) => string | undefined;
  settings: AlertSettingsRepository;
  blink: AlertSessions;
  /** By chat id prefix: 'tg', 'dc', 'term'. */
  senders: ReadonlyMap<string, ChatSender>;
  notices: OwnerNotices;
  clock: Clock;
  random: () => number;
  log: Logger;
  latency: AlertLatency;
  formatTime: (epochMs: number) => string;
  /** IANA zone for quiet hours. */
  timeZone: string;
  /** Chats served at once. Default 4. */
  concurrency?: number;
  /**
   * Tries of a transient failure before the row is given up as 'failed'. Default 200: with
   * full-jitter backoff capped at 15 min that is about a day, so a platform outage of hours
   * loses nothing (docs/chat-contract.md §6), while a chat that fails forever still ends.
   */
  maxAttempts?: number;
  /** Clip download tries before "clip unavailable". Default 3. */
  downloadTries?: number;
  /** Operators' private chats: their notices (no session) need no chat link (F34). */
  operatorChats?: ReadonlySet<string>;
  /**
   * F31: while the database cannot be written nothing is sent (a row that cannot be marked
   * sent would go out again and again); a failed write is reported here.
   */
  storage?: { paused(): boolean; failed(error: unknown, now: number): boolean };
}

type Outcome = { state: 'sent'; messageId: string | null } | { state: 'skipped' | 'failed'; reason: string };

const DOWNLOAD = 'download: ';

export function createDeliveryWorker(deps: DeliveryWorkerDeps) {
  const { store, clock, log } = deps;
  const concurrency = deps.concurrency ?? 4;
  const maxAttempts = deps.maxAttempts ?? 200;
  const downloadTries = deps.downloadTries ?? 3;
  const active = new Map<string, Promise<void>>();
  // One upload per clip at a time: the next chat waits and then forwards it by file id.
  const uploads = new Map<string, Promise<unknown>>();
  const sendAbort = new AbortController();
  let wake: AbortController | null = null;
  const counters = { sent: 0, skipped: 0, failed: 0, retries: 0 };
  const minuteFormat = new Intl.DateTimeFormat('en-GB', { timeZone: deps.timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

  const kick = (): void => wake?.abort();

  const inQuietHours = (hours: QuietHours | null, now: number): boolean => {
    if (!hours) return false;
    const [h = '0', m = '0'] = minuteFormat.format(new Date(now)).split(':');
    return isWithinQuietHours(hours, Number(h) * 60 + Number(m));
  };

  const senderFor = (chat: string): ChatSender | undefined => deps.senders.get(chat.slice(0, chat.indexOf(':')));

  /** Retry delay for a transient failure: exponential with full jitter, at least Retry-After. */
  const retryDelay = (attempts: number, retryAfterMs: number | undefined): number => {
    const window = Math.min(15 * 60_000, 5_000 * 2 ** Math.min(attempts, 12));
    const jittered = 1_000 + deps.random() * window;
    return Math.round(Math.max(jittered, retryAfterMs ?? 0));
  };

  /** A notice for the session's owner in their own private chat (its key is the owner's id). */
  const ownerNotice = (row: OutboxRow): boolean => row.kind === 'text' && row.sessionId !== null && deps.ownerOf(row.sessionId) === row.chat;

  async function deliver(row: OutboxRow): Promise<void> {
    const now = clock.now();
    const link = deps.links.get(row.chat);
    const sender = senderFor(row.chat);
    let outcome: Outcome;
    if (row.sessionId === null && row.kind === 'text' && deps.operatorChats?.has(row.chat) === true && sender) {
      outcome = await attempt(row, sender, link?.quietHours ?? null, now);
      if (sendAbort.signal.aborted && outcome.state === 'failed' && outcome.reason === 'aborted') return;
    } else if (ownerNotice(row) && !link && sender) {
      outcome = deps.allowlist.has(row.chat) ? await attempt(row, sender, null, now) : { state: 'skipped', reason: 'chat not allowed' };
      if (sendAbort.signal.aborted && outcome.state === 'failed' && outcome.reason === 'aborted') return;
    } else if (!link?.active || (row.sessionId !== null && link.sessionId !== row.sessionId)) {
      outcome = { state: 'skipped', reason: 'chat not linked to this session' };
    } else if (!linkAllowed(deps.allowlist, link)) {
      outcome = { state: 'skipped', reason: 'chat not allowed' };
    } else if (!sender) {
      outcome = { state: 'skipped', reason: 'no sender for this platform' };
    } else {
      outcome = await attempt(row, sender, link.quietHours, now);
      if (sendAbort.signal.aborted && outcome.state === 'failed' && outcome.reason === 'aborted') return;
    }
    if (outcome.state === 'sent') {
      store.markSent(row.id, clock.now(), outcome.messageId);
      counters.sent++;
    } else if (outcome.state !== 'failed' || outcome.reason !== 'retry') {
      store.markFinal(row.id, outcome.state, outcome.reason);
      counters[outcome.state]++;
    }
  }

  /** One send. Returns 'failed'/'retry' when a retry was scheduled (row stays pending). */
  async function attempt(row: OutboxRow, sender: ChatSender, quiet: QuietHours | null, now: number): Promise<Outcome> {
    let reply: Reply;
    let fallbackText: string;
    let downloadError: unknown;
    const key = row.sessionId !== null ? `${row.sessionId}:${row.mediaId}` : row.mediaId;
    if (row.kind === 'motion' || row.kind === 'ring') {
      const payload = parseClipPayload(row.payload);
      if (!payload || row.sessionId === null) return { state: 'failed', reason: 'unreadable payload' };
      const decision = deps.settings.shouldAlert(row.chat, payload.clip.cameraId, now);
      if (!decision.send) return { state: 'skipped', reason: decision.reason };
      const ring = row.kind === 'ring';
      let account;
      try {
        account = deps.blink.accountFor(row.sessionId);
      } catch {
        account = undefined; // the session needs a login: announce without the clip
      }
      const unavailable = row.attempts >= downloadTries && (row.lastError?.startsWith(DOWNLOAD) ?? false);
      reply = clipReply({
        sessionId: row.sessionId,
        payload,
        ring,
        account,
        formatTime: deps.formatTime,
        silent: !ring && inQuietHours(decision.quietHours, now),
        mode: payload.partial ? 'partial' : unavailable ? 'unavailable' : 'video',
        onOpenError: (error) => {
          downloadError ??= error;
        },
        track: (stream) => {
          deps.latency.opened(key);
          return trackStream(
            stream,
            () => deps.latency.firstByte(key),
            (error) => {
              downloadError ??= error;
            },
          );
        },
      });
      fallbackText = `${clipCaption(payload, ring, deps.formatTime)}\n${sender.platform === 'tg' ? 'Telegram' : sender.platform === 'dc' ? 'Discord' : 'This chat'} refused the clip; open it in the Blink app.`;
    } else {
      const payload = parseTextPayload(row.payload);
      if (!payload) return { state: 'failed', reason: 'unreadable payload' };
      const link = deps.links.get(row.chat);
      if (row.kind === 'health') {
        if (payload.cameraId !== undefined) {
          const decision = deps.settings.shouldAlert(row.chat, payload.cameraId, now);
          if (!decision.send) return { state: 'skipped', reason: decision.reason };
        } else if (link && (!link.alertsEnabled || (link.mutedUntil !== null && link.mutedUntil > now))) {
          return { state: 'skipped', reason: 'muted or alerts off' };
        }
      }
      reply = { parts: [{ type: 'text', text: payload.text }], silent: row.kind === 'health' && inQuietHours(quiet, now) };
      fallbackText = payload.text;
    }

    const uploadKey = row.kind === 'motion' || row.kind === 'ring' ? `${sender.platform}:${key}` : undefined;
    const before = uploadKey !== undefined ? uploads.get(uploadKey) : undefined;
    if (before) await before.catch(() => undefined);
    try {
      if (uploadKey !== undefined) deps.latency.sending(key);
      const sending = sender.send(row.chat, reply, { signal: sendAbort.signal });
      if (uploadKey !== undefined) uploads.set(uploadKey, sending);
      const sent = await sending.finally(() => {
        if (uploadKey !== undefined && uploads.get(uploadKey) === sending) uploads.delete(uploadKey);
      });
      for (const [cacheKey, fileId] of Object.entries(sent.fileIds ?? {})) {
        store.rememberFile(sender.platform, cacheKey, fileId, cacheKey.startsWith('clip:') ? 'video' : 'photo', clock.now());
      }
      return { state: 'sent', messageId: sent.messageIds[0] ?? null };
    } catch (error) {
      return onSendFailure(row, error, { reply, fallbackText, sender, downloadError });
    }
  }

  /**
   * What a failed send means: a broken clip download is retried (then announced as
   * unavailable), a gone chat stops its alerts, a rejected media part falls back to text,
   * anything else is retried with backoff until about a day has passed.
   */
  async function onSendFailure(
    row: OutboxRow,
    error: unknown,
    attempted: { reply: Reply; fallbackText: string; sender: ChatSender; downloadError: unknown },
  ): Promise<Outcome> {
    const { reply, fallbackText, sender, downloadError } = attempted;
    if (sendAbort.signal.aborted) return { state: 'failed', reason: 'aborted' };
    const later = clock.now();
    if (downloadError !== undefined) {
      const attempts = row.attempts + 1;
      // After the last download try, the next attempt announces "clip unavailable" at once.
      const at = attempts >= downloadTries ? later : later + retryDelay(attempts, undefined);
      store.scheduleRetry(row.id, attempts, at, `${DOWNLOAD}${describe(downloadError)}`);
      counters.retries++;
      return { state: 'failed', reason: 'retry' };
    }
    if (error instanceof DeliveryError && error.failure === 'chat-gone') {
      deps.links.setActive(row.chat, false);
      store.skipPendingForChat(row.chat, 'chat gone');
      if (row.sessionId !== null) {
        deps.notices.tell(
          row.sessionId,
          `chat-gone:${row.chat}:${later}`,
          `⚠️ I can no longer post in ${row.chat} (blocked or removed), so its alerts stopped. /link it again to resume.`,
          later,
          row.chat,
        );
      }
      log.info({ chat: row.chat }, 'chat gone; link marked inactive');
      return { state: 'failed', reason: 'chat gone' };
    }
    if (error instanceof DeliveryError && error.failure === 'rejected') {
      if (reply.parts.some((p) => p.type === 'media')) {
        try {
          const sent = await sender.send(
            row.chat,
            { parts: [{ type: 'text', text: fallbackText }], ...(reply.silent ? { silent: true } : {}) },
            { signal: sendAbort.signal },
          );
          return { state: 'sent', messageId: sent.messageIds[0] ?? null };
        } catch (fallbackError) {
          return { state: 'failed', reason: `rejected, and the text fallback failed: ${describe(fallbackError)}` };
        }
      }
      return { state: 'failed', reason: `rejected: ${describe(error)}` };
    }
    const attempts = row.attempts + 1;
    if (attempts >= maxAttempts) return { state: 'failed', reason: `gave up after ${attempts} tries: ${describe(error)}` };
    const retryAfterMs = error instanceof DeliveryError ? error.retryAfterMs : undefined;
    store.scheduleRetry(row.id, attempts, later + retryDelay(attempts, retryAfterMs), describe(error));
    counters.retries++;
    return { state: 'failed', reason: 'retry' };
  }

  /** Starts every due chat head (at most `concurrency` chats); returns the next due time. */
  const startDue = (): number => {
    const now = clock.now();
    let next = Number.POSITIVE_INFINITY;
    if (deps.storage?.paused()) return next;
    for (const head of store.pendingHeads()) {
      if (active.has(head.chat)) continue;
      if (head.nextAttemptAt > now) {
        next = Math.min(next, head.nextAttemptAt);
        continue;
      }
      if (active.size >= concurrency) break;
      const p = deliver(head)
        .catch((error: unknown) => {
          if (!deps.storage?.failed(error, clock.now())) log.error({ err: error, outboxId: head.id }, 'delivery crashed');
        })
        .finally(() => {
          active.delete(head.chat);
          kick();
        });
      active.set(head.chat, p);
    }
    return next;
  };

  return {
    kick,
    async run(signal: AbortSignal): Promise<void> {
      // Stop wakes the loop through `wake` (AbortSignal.any per sleep leaks a WeakRef on
      // `signal` each time on Node 20; see src/blink/request-signal.ts).
      const onStop = (): void => wake?.abort();
      signal.addEventListener('abort', onStop, { once: true });
      while (!signal.aborted) {
        const next = startDue();
        wake = new AbortController();
        const waitMs = Number.isFinite(next) && active.size < concurrency ? next - clock.now() : 60_000;
        try {
          if (!signal.aborted) await clock.sleep(Math.max(0, waitMs), wake.signal);
        } catch {
          // kicked: new rows or a send finished
        }
        wake = null;
      }
      signal.removeEventListener('abort', onStop);
    },
    /** Sends everything due now, including rows that become due as others finish (tests). */
    async drain(): Promise<void> {
      for (;;) {
        startDue();
        if (active.size === 0) return;
        await Promise.race(active.values());
      }
    },
    /** Waits for sends in flight up to `deadlineMs`, then aborts the rest (they stay pending). */
    async stop(deadlineMs: number): Promise<void> {
      const inFlight = Promise.all(active.values());
      await waitAtMost(clock, deadlineMs, inFlight);
      sendAbort.abort();
      await inFlight;
    },
    stats() {
      return { inFlight: active.size, ...counters };
    },
  };
}

/** Passes the stream on, reporting its first byte and any error of the download itself. */
function trackStream(source: Readable, onFirstByte: () => void, onError: (error: unknown) => void): Readable {
  const out = new PassThrough();
  source.once('error', (error) => {
    onError(error);
    out.destroy(error);
  });
  out.once('close', () => {
    if (!source.destroyed) source.destroy();
  });
  source.pipe(out);
  source.once('data', onFirstByte);
  return out;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 300) : 'unknown error';
}
