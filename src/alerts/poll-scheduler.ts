/**
 * One loop and one min-heap for every linked session (never a timer per chat or per
 * session): each session is due every period ± 5 %, first polls spread over a whole
 * period (F35), failures back off with full jitter and 429s wait their Retry-After
 * (F1-F4, P2, P5). A session whose login is refused leaves the heap and its owner is
 * told once; 30 minutes of continuous failure tells the owner once, recovery once more.
 */
import { setMaxListeners } from 'node:events';
import type { Clock } from '../clock.js';
import { BlinkAuthError, SealError } from '../errors.js';
import type { SessionsRepository } from '../db/repositories/sessions.js';
import type { Logger } from '../log.js';
import type { AlertSessions } from './alert-sessions.js';
import type { AlertStore } from './alert-store.js';
import { failureDelay, nextPollDelay } from './backoff.js';
import { createMinHeap } from './min-heap.js';
import { createOutageMonitor, isUnreachable } from './outage-monitor.js';
import type { OwnerNotices } from './owner-notice.js';
import type { PollMemory, PollSession } from './session-poller.js';
import type { StorageGuard } from './storage-guard.js';

interface Tracked extends PollMemory {
  /** When the heap entry for this session is due; entries with another time are stale. */
  dueAt: number;
  failures: number;
  failingSince: number | null;
  downNotified: boolean;
  /** The last failure was network/5xx (counted in `unreachable`). */
  unreachable: boolean;
  running: Promise<void> | null;
}

/** Where global outage notices go (F34); without it, every owner is told as before. */
interface OperatorNotices {
  /** Queues `text` once under `key` for every operator chat; true when something was queued. */
  tell(key: string, text: string, now: number): boolean;
}

export interface PollSchedulerDeps {
  clock: Clock;
  random: () => number;
  log: Logger;
  store: AlertStore;
  sessions: SessionsRepository;
  blink: AlertSessions;
  notices: OwnerNotices;
  poll: PollSession;
  periodMs: number;
  /** Polls running at once across all sessions. Default 16. */
  maxConcurrent?: number;
  /** Continuous failure before the owner hears of it, ms. Default 30 min. */
  notifyAfterMs?: number;
  /** How often the list of linked sessions is re-read, ms. Default the period. */
  rescanMs?: number;
  /** Global outage notices (F34): one to the operators instead of one per owner. */
  operator?: OperatorNotices;
  /**
   * The session poller's inventory interval, ms. At start-up the first inventory reads are
   * spread over it: otherwise every session's first poll also reads the inventory, a
   * per-account gap after the change check, holding its poll slot (10,000 × ~0.28 s / 16
   * slots ≈ 3 periods late after every restart, bench/README "Performance").
   */
  healthEveryMs?: number;
  /**
   * F31: while the database cannot be written no poll runs (no cursor could advance); the
   * loop tries a write every so often instead and resumes with the polls spread again.
   */
  storage?: StorageGuard;
}

const RESCAN = '\u0000rescan';
/**
 * The reason the loop's sleep is cut short. `abort()` without one makes a DOMException with a
 * stack trace every time, and the loop is woken once or twice per poll (10,000 accounts:
 * ~20,000 a minute, docs/performance.md, "Many accounts").
 */
const WOKEN = Symbol('poll loop woken');

export function createPollScheduler(deps: PollSchedulerDeps) {
  const { clock, random, log } = deps;
  const heap = createMinHeap();
  const tracked = new Map<string, Tracked>();
  const maxConcurrent = deps.maxConcurrent ?? 16;
  const notifyAfterMs = deps.notifyAfterMs ?? 30 * 60_000;
  let running = 0;
  /**
   * Wakes the loop's sleep. It is kept across sleeps until used (a sleep that simply ran out
   * leaves it unaborted), and only what changes the loop's next step uses it: a poll due
   * before the sleep ends, or a freed slot while every slot was taken. Waking on every
   * reschedule and every finished poll made three loop turns per poll, each with a new
   * controller, timer and rejection (docs/performance.md, "Many accounts").
   */
  let wake: AbortController | null = null;
  /** When the loop's current sleep ends (+Infinity while it is not sleeping). */
  let sleepingUntil = Number.POSITIVE_INFINITY;
  /** The loop sleeps because all `maxConcurrent` slots are taken. */
  let waitingForSlot = false;
  const wakeLoop = (): void => {
    if (!wake) return;
    wake.abort(WOKEN);
    wake = null;
  };
  let stopped = false;
  const counters = { polls: 0, failures: 0, alertsQueued: 0 };
  const outage = createOutageMonitor();
  /** Tracked sessions whose last poll failed with network/5xx (kept in step, O(1)). */
  let unreachable = 0;
  let outageCheckedAt = Number.NEGATIVE_INFINITY;

  const setUnreachable = (t: Tracked, value: boolean): void => {
    if (t.unreachable !== value) unreachable += value ? 1 : -1;
    t.unreachable = value;
  };
  const forget = (id: string): void => {
    const t = tracked.get(id);
    if (t) setUnreachable(t, false);
    tracked.delete(id);
  };

  /**
   * Starts or ends a global outage. The start needs a scan (how long each has failed), so it
   * runs at most every 10 s; the end is a counter comparison and runs every time.
   */
  const checkOutage = (now: number): void => {
    const operator = deps.operator;
    if (!operator) return;
    let failingLong = 0;
    if (!outage.active() && now - outageCheckedAt >= 10_000) {
      outageCheckedAt = now;
      for (const t of tracked.values()) if (t.unreachable && t.failingSince !== null && now - t.failingSince >= notifyAfterMs) failingLong++;
    }
    const step = outage.update(now, { failingNow: unreachable, failingLong, total: tracked.size });
    if (step?.kind === 'started') {
      log.warn({ failing: step.failing, sessions: step.total }, 'Blink unreachable for many accounts: global outage');
      operator.tell(
        `blink-outage:${step.since}`,
        `⚠️ Blink has not answered for ${Math.round(notifyAfterMs / 60_000)} minutes for ${step.failing} of ${step.total} linked accounts. Motion alerts will follow once it does; owners are not told one by one.`,
        now,
      );
    } else if (step?.kind === 'ended') {
      log.info({ sinceMs: now - step.since }, 'Blink outage over');
      operator.tell(
        `blink-outage-end:${step.since}`,
        `✅ Blink answers again (outage began ${new Date(step.since).toISOString()}); motion alerts are back.`,
        now,
      );
    }
  };

  const schedule = (id: string, t: Tracked, at: number): void => {
    t.dueAt = at;
    heap.push({ key: id, at });
    if (at < sleepingUntil) wakeLoop();
  };

  const track = (id: string, backoffUntil: number | null, firstAt: number, inventoryAt = 0): void => {
    if (tracked.has(id)) return;
    const t: Tracked = { dueAt: 0, failures: 0, failingSince: null, downNotified: false, unreachable: false, running: null, inventoryAt };
    tracked.set(id, t);
    schedule(id, t, Math.max(firstAt, backoffUntil ?? 0));
  };

  /** Adds new linked sessions (phase spread over one period) and forgets removed ones. */
  const rescan = (spread: boolean): void => {
    const now = clock.now();
    const live = new Set<string>();
    for (const s of deps.store.pollableSessions()) {
      live.add(s.id);
      if (!spread) track(s.id, s.backoffUntil, now);
      else {
        // Sessions found at start-up: polls spread over one period, inventory reads over
        // the health interval (sessions linked later read theirs at once).
        const health = deps.healthEveryMs ?? 0;
        track(s.id, s.backoffUntil, now + Math.floor(random() * deps.periodMs), health > 0 ? now - health + Math.floor(random() * health) : 0);
      }
    }
    for (const id of [...tracked.keys()]) if (!live.has(id) && !tracked.get(id)?.running) forget(id);
  };

  /** After a storage pause: every session's next poll spread over one period again (no herd). */
  const respread = (now: number): void => {
    for (const [id, t] of tracked) if (!t.running) schedule(id, t, now + Math.floor(random() * deps.periodMs));
  };

  /** True when writes work (trying one if paused); on recovery the polls are spread again. */
  const storageWritable = (now: number): boolean => {
    const storage = deps.storage;
    if (!storage?.paused()) return true;
    if (!storage.probe(now)) return false;
    respread(now);
    return true;
  };

  const onSuccess = (id: string, t: Tracked, alerts: number): void => {
    const now = clock.now();
    counters.alertsQueued += alerts;
    if (t.downNotified && t.failingSince !== null) {
      deps.notices.tell(id, `blink-up:${t.failingSince}`, '✅ Blink answers again; motion alerts are back.', now);
    }
    t.failures = 0;
    t.failingSince = null;
    t.downNotified = false;
    setUnreachable(t, false);
    checkOutage(now);
    schedule(id, t, now + nextPollDelay(deps.periodMs, random));
  };

  const onFailure = (id: string, t: Tracked, error: unknown): void => {
    const now = clock.now();
    counters.failures++;
    if (deps.storage?.failed(error, now)) {
      // Not Blink's fault: no backoff, no owner notice; the loop waits for the disk.
      schedule(id, t, now + nextPollDelay(deps.periodMs, random));
      return;
    }
    // A row sealed with another key is kept (the key is wrong, not the row): it backs off like any failure.
    if (error instanceof BlinkAuthError || (error instanceof SealError && !error.wrongKey)) {
      log.info({ sessionId: id, code: error.code }, 'Blink session needs a new login; polling stops');
      forget(id);
      try {
        deps.blink.markNeedsLogin(id);
      } catch (markError) {
        log.warn({ sessionId: id, err: markError }, 'could not mark the session as needing login');
        deps.sessions.markNeedsLogin(id, now);
      }
      if (deps.sessions.markOwnerNotified(id, now)) {
        deps.notices.tell(
          id,
          `needs-login:${now}`,
          '🔑 Blink ended your session, so motion alerts are paused. Send /login in a private chat with me to resume.',
          now,
        );
      }
      return;
    }
    t.failures++;
    t.failingSince ??= now;
    setUnreachable(t, isUnreachable(error));
    checkOutage(now);
    const delay = failureDelay(error, t.failures, { periodMs: deps.periodMs }, random);
    try {
      deps.store.recordBackoff(id, now, now + delay);
    } catch (storeError) {
      if (!deps.storage?.failed(storeError, now)) throw storeError;
    }
    log.debug({ sessionId: id, failures: t.failures, delayMs: delay, err: error }, 'poll failed; backing off');
    // During a global outage the operators hear of it once (checkOutage), not every owner.
    const global = deps.operator !== undefined && t.unreachable && outage.likelyGlobal(unreachable, tracked.size);
    if (!t.downNotified && !global && now - t.failingSince >= notifyAfterMs) {
      t.downNotified = true;
      deps.notices.tell(id, `blink-down:${t.failingSince}`, '⚠️ Blink has not answered for 30 minutes; alerts will follow once it does.', now);
    }
    schedule(id, t, now + delay);
  };

  const runPoll = (id: string, t: Tracked, signal?: AbortSignal): Promise<void> => {
    if (t.running) return t.running;
    running++;
    counters.polls++;
    t.dueAt = Number.NaN; // no stale heap entry fires while this runs
    const p = (async () => {
      try {
        let result;
        try {
          result = await deps.poll(id, t, signal);
        } catch (error) {
          if (stopped && signal?.aborted) return;
          onFailure(id, t, error);
          return;
        }
        if (result.kind === 'gone') forget(id);
        else onSuccess(id, t, result.alerts);
      } catch (error) {
        // Book-keeping after a poll failed (a notice or backoff could not be stored): the
        // loop must go on, and `void runPoll` must never leave an unhandled rejection.
        if (!deps.storage?.failed(error, clock.now())) log.error({ sessionId: id, err: error }, 'poll book-keeping failed');
        if (tracked.get(id) === t && Number.isNaN(t.dueAt)) schedule(id, t, clock.now() + nextPollDelay(deps.periodMs, random));
      } finally {
        running--;
        t.running = null;
        if (waitingForSlot) wakeLoop();
      }
    })();
    t.running = p;
    return p;
  };

  return {
    /** Runs until `signal` aborts. The first polls are spread over one period. */
    async run(signal: AbortSignal): Promise<void> {
      stopped = false;
      // The stop signal wakes the loop through `wake`: AbortSignal.any per sleep would leave
      // a WeakRef on `signal` every iteration (Node 20 never prunes them; see request-signal.ts).
      const onStop = (): void => wakeLoop();
      signal.addEventListener('abort', onStop, { once: true });
      // Each poll's request in flight listens on `signal` until it ends (request-signal.ts):
      // up to maxConcurrent at once, which is not a leak.
      setMaxListeners(Math.max(10, maxConcurrent * 2 + 2), signal);
      rescan(true);
      heap.push({ key: RESCAN, at: clock.now() + (deps.rescanMs ?? deps.periodMs) });
      while (!signal.aborted) {
        const now = clock.now();
        const storage = deps.storage;
        if (storage?.paused() && (now < storage.nextProbeAt() || !storageWritable(now))) {
          try {
            await clock.sleep(Math.max(1, storage.nextProbeAt() - now), signal);
          } catch {
            // stopping
          }
          continue;
        }
        const top = heap.peek();
        if (top && top.at <= now) {
          if (top.key === RESCAN) {
            heap.pop();
            rescan(false);
            heap.push({ key: RESCAN, at: now + (deps.rescanMs ?? deps.periodMs) });
            continue;
          }
          const t = tracked.get(top.key);
          if (!t || t.dueAt !== top.at) {
            heap.pop();
            continue;
          }
          if (running < maxConcurrent) {
            heap.pop();
            void runPoll(top.key, t, signal);
            continue;
          }
        }
        if (signal.aborted) break;
        wake ??= new AbortController();
        waitingForSlot = top !== undefined && running >= maxConcurrent;
        const waitMs = top && !waitingForSlot ? Math.max(0, top.at - now) : 60_000;
        sleepingUntil = now + waitMs;
        try {
          await clock.sleep(waitMs, wake.signal);
        } catch {
          // woken early: a poll is due sooner, a slot came free, or the loop stops
        }
        sleepingUntil = Number.POSITIVE_INFINITY;
        waitingForSlot = false;
      }
      wake = null;
      signal.removeEventListener('abort', onStop);
      stopped = true;
    },
    /**
     * Polls one session now (tests, and right after a /login or /link): resolves after a poll
     * that began after this call. A poll already running began earlier and may have asked
     * Blink before what the caller is waiting for existed, so it is waited out first.
     */
    async pollNow(sessionId: string): Promise<void> {
      // F31: while the database cannot be written, no Blink request (try a write first).
      if (!storageWritable(clock.now())) return;
      const earlier = tracked.get(sessionId)?.running;
      if (earlier) await earlier;
      let t = tracked.get(sessionId);
      if (!t) {
        track(sessionId, null, clock.now());
        t = tracked.get(sessionId);
      }
      if (t) await runPoll(sessionId, t);
    },
    /** Waits for polls in flight. */
    async idle(): Promise<void> {
      await Promise.all([...tracked.values()].map((t) => t.running));
    },
    stats() {
      return { sessions: tracked.size, running, ...counters };
    },
  };
}
