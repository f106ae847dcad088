/**
 * Retention (docs/endurance.md, "Retention"): without it nothing is ever deleted and the
 * database grows for ever. Clips seen, settled outbox rows (sent, skipped, failed), the
 * audit log and cached platform file ids older than `retentionDays` are deleted on the
 * injected clock, in small batches (each its own short write transaction, with the event
 * loop free in between, so polls and sends never wait long for the write lock).
 *
 * De-duplication stays safe at any retention of a day or more: a poll only reports clips
 * changed since its cursor (minutes), clips older than the alert age limit (an hour) are
 * never sent, and a clip Blink reports again after it was forgotten is recognised by its
 * creation time (`clipsSeen.forgottenUpTo`), so it never alerts twice.
 */
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { Repositories } from './repositories.js';

const DAY_MS = 24 * 60 * 60_000;

export interface RetentionDeps {
  repos: Pick<Repositories, 'clipsSeen' | 'outbox' | 'audit' | 'platformFiles'>;
  clock: Clock;
  log: Logger;
  /** Rows older than this many days go. */
  retentionDays: number;
  /** Rows per delete transaction. Default 500. */
  batchSize?: number;
  /** Time between two prune runs, ms. Default 1 hour. */
  everyMs?: number;
}

export interface PruneCounts {
  clipsSeen: number;
  outbox: number;
  audit: number;
  platformFiles: number;
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export function createRetention(deps: RetentionDeps) {
  const batchSize = deps.batchSize ?? 500;
  const everyMs = deps.everyMs ?? 60 * 60_000;
  const { repos } = deps;
  let running: Promise<void> | undefined;
  const stopping = new AbortController();

  /** Runs one batched delete until a batch comes back short; returns the total. */
  const drain = async (batch: () => number, signal?: AbortSignal): Promise<number> => {
    let total = 0;
    for (;;) {
      const n = batch();
      total += n;
      if (n < batchSize || signal?.aborted) return total;
      await yieldToEventLoop();
    }
  };

  const pruneNow = async (signal?: AbortSignal): Promise<PruneCounts> => {
    const now = deps.clock.now();
    const before = now - deps.retentionDays * DAY_MS;
    const counts: PruneCounts = {
      clipsSeen: await drain(() => repos.clipsSeen.pruneBatch(before, batchSize, now), signal),
      outbox: await drain(() => repos.outbox.pruneSettledBatch(before, batchSize), signal),
      audit: await drain(() => repos.audit.pruneBatch(before, batchSize), signal),
      platformFiles: await drain(() => repos.platformFiles.pruneBatch(before, batchSize), signal),
    };
    const total = counts.clipsSeen + counts.outbox + counts.audit + counts.platformFiles;
    if (total > 0) deps.log.info({ ...counts, retentionDays: deps.retentionDays }, 'retention pruned old rows');
    return counts;
  };

  return {
    /** One prune run now, on the injected clock. */
    pruneNow,
    /** Prunes now and then every `everyMs` until `signal` aborts. A failed run is logged and retried next time. */
    start(outer: AbortSignal): void {
      const signal = AbortSignal.any([outer, stopping.signal]);
      const loop = async (): Promise<void> => {
        while (!signal.aborted) {
          try {
            await pruneNow(signal);
          } catch (err) {
            deps.log.warn({ err }, 'retention run failed; trying again later');
          }
          await deps.clock.sleep(everyMs, signal).catch(() => undefined);
        }
      };
      running = loop();
    },
    /** Stops the schedule; a run in progress ends after its current batch. */
    async stop(): Promise<void> {
      stopping.abort();
      await running;
    },
  };
}
