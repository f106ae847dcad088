import { BotApiError, defaultDescription } from './bot-api-error.js';
import { firstUpdateId } from './ids.js';

export type Update = Record<string, unknown> & { readonly update_id: number };

interface Poll {
  readonly offset: number | undefined;
  readonly limit: number;
  readonly resolve: (updates: Update[]) => void;
  readonly reject: (err: BotApiError) => void;
  readonly timer: NodeJS.Timeout;
}

/**
 * The pending-update queue behind `getUpdates`: offsets confirm (and forget) updates,
 * one long poll at a time (a newer poll ends the older one with 409, as Telegram does),
 * and `close()` answers every poll at once with an empty list.
 */
export function createUpdateQueue() {
  let nextId = firstUpdateId();
  let queue: Update[] = [];
  let pending: Poll | undefined;
  let closed = false;

  const confirm = (offset: number | undefined): void => {
    if (offset === undefined || offset === 0) return;
    if (offset < 0) {
      queue = queue.slice(Math.max(0, queue.length + offset));
      return;
    }
    queue = queue.filter((u) => u.update_id >= offset);
  };
  const take = (limit: number): Update[] => queue.slice(0, limit);
  const finish = (poll: Poll): void => {
    clearTimeout(poll.timer);
    if (pending === poll) pending = undefined;
  };

  return {
    /** Adds an update; `body` is everything but `update_id`. Returns the new update's id. */
    push(body: Record<string, unknown>): number {
      const update: Update = { update_id: nextId++, ...body };
      queue.push(update);
      const poll = pending;
      if (poll !== undefined) {
        finish(poll);
        poll.resolve(take(poll.limit));
      }
      return update.update_id;
    },

    /** Whether a long poll is held open, waiting for an update. */
    pollHeld(): boolean {
      return pending !== undefined;
    },

    /** Updates not yet confirmed by an offset. */
    pendingCount(): number {
      return queue.length;
    },

    dropAll(): void {
      queue = [];
    },

    /**
     * One `getUpdates`. Resolves at once when updates are there or `timeoutSeconds` is 0,
     * else when one arrives, the timeout passes or the queue closes. `cancel` is for a
     * client that went away: its poll must not eat the next update.
     */
    poll(
      offset: number | undefined,
      limit: number,
      timeoutSeconds: number,
    ): {
      result: Promise<Update[]>;
      cancel: () => void;
    } {
      confirm(offset);
      const capped = Math.min(100, Math.max(1, limit));
      const older = pending;
      if (older !== undefined) {
        finish(older);
        older.reject(new BotApiError(409, defaultDescription(409)));
      }
      const ready = take(capped);
      if (ready.length > 0 || timeoutSeconds <= 0 || closed) {
        return { result: Promise.resolve(ready), cancel: () => undefined };
      }
      let poll: Poll | undefined;
      const result = new Promise<Update[]>((resolve, reject) => {
        const timer = setTimeout(() => {
          if (poll !== undefined) finish(poll);
          resolve([]);
        }, timeoutSeconds * 1000);
        poll = { offset, limit: capped, resolve, reject, timer };
        pending = poll;
      });
      return {
        result,
        cancel: () => {
          if (poll !== undefined && pending === poll) {
            finish(poll);
            poll.resolve([]);
          }
        },
      };
    },

    /** Ends the pending poll with 409, as when a second bot instance polls. True if one was pending. */
    conflict(description = defaultDescription(409)): boolean {
      const poll = pending;
      if (poll === undefined) return false;
      finish(poll);
      poll.reject(new BotApiError(409, description));
      return true;
    },

    close(): void {
      closed = true;
      const poll = pending;
      if (poll !== undefined) {
        finish(poll);
        poll.resolve([]);
      }
    },
  };
}

export type UpdateQueue = ReturnType<typeof createUpdateQueue>;
