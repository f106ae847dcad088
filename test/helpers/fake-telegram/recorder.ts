import type { RecordedCall } from './types.js';

export type CallMatcher = string | ((call: RecordedCall) => boolean);

export interface WaitOptions {
  /** Default 15 s: generous, as a loaded CI machine can stall a loopback round trip for seconds; it only costs time when the wait fails anyway. */
  readonly timeoutMs?: number;
  /** Only calls with a larger `seq` count (e.g. `fake.calls.length` taken earlier). */
  readonly since?: number;
}

interface Waiter {
  readonly match: (call: RecordedCall) => boolean;
  readonly since: number;
  readonly resolve: (call: RecordedCall) => void;
  readonly reject: (err: Error) => void;
  readonly timer: NodeJS.Timeout;
}

function toPredicate(matcher: CallMatcher): (call: RecordedCall) => boolean {
  return typeof matcher === 'string' ? (c) => c.method === matcher : matcher;
}

function describe(matcher: CallMatcher): string {
  return typeof matcher === 'string' ? `a ${matcher} call` : 'a call matching the predicate';
}

/** One line per call, for failure messages: method, chat, text and outcome. */
export function summarizeCall(call: RecordedCall): string {
  const p = call.params;
  const bits = [`#${call.seq} ${call.method}`];
  if (p['chat_id'] !== undefined) bits.push(`chat=${String(p['chat_id'])}`);
  const text = p['text'] ?? p['caption'];
  if (typeof text === 'string') bits.push(JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text));
  if (call.files.length > 0) bits.push(call.files.map((f) => `${f.param}:${f.size}B`).join(','));
  bits.push(call.response.ok ? 'ok' : `error ${call.response.error_code}`);
  return bits.join(' ');
}

/**
 * Every call in order, and `waitFor`. Each call is handed to at most one `waitFor`, so
 * two `waitFor('sendMessage')` in a row give the first and then the second reply.
 */
export function createRecorder() {
  const calls: RecordedCall[] = [];
  const consumed = new Set<number>();
  const waiters = new Set<Waiter>();
  let closed = false;
  const view: readonly RecordedCall[] = calls;

  const tryWaiter = (w: Waiter, call: RecordedCall): boolean => {
    if (call.seq <= w.since || consumed.has(call.seq) || !w.match(call)) return false;
    consumed.add(call.seq);
    clearTimeout(w.timer);
    waiters.delete(w);
    w.resolve(call);
    return true;
  };

  return {
    calls: view,

    nextSeq(): number {
      return calls.length + 1;
    },

    record(call: RecordedCall): void {
      calls.push(call);
      for (const w of [...waiters]) if (tryWaiter(w, call)) break;
    },

    waitFor(matcher: CallMatcher, options: WaitOptions = {}): Promise<RecordedCall> {
      const timeoutMs = options.timeoutMs ?? 15_000;
      const match = toPredicate(matcher);
      return new Promise<RecordedCall>((resolve, reject) => {
        if (closed) {
          reject(new Error('fake Telegram is closed'));
          return;
        }
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          const recent = calls
            .filter((c) => c.method !== 'getUpdates')
            .slice(-15)
            .map(summarizeCall);
          reject(
            new Error(
              `fake Telegram: no ${describe(matcher)} within ${timeoutMs} ms. ` +
                `Recent calls (getUpdates left out):\n  ${recent.length > 0 ? recent.join('\n  ') : '(none)'}`,
            ),
          );
        }, timeoutMs);
        const waiter: Waiter = { match, since: options.since ?? 0, resolve, reject, timer };
        waiters.add(waiter);
        for (const call of calls) if (tryWaiter(waiter, call)) return;
      });
    },

    close(): void {
      closed = true;
      for (const w of waiters) {
        clearTimeout(w.timer);
        w.reject(new Error('fake Telegram closed while waiting'));
      }
      waiters.clear();
    },
  };
}
