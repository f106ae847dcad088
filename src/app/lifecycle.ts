import { systemClock, waitAtMost, type Clock } from '../clock.js';
import type { Logger } from '../log.js';

/** Something main starts and stops: a front end, a poller, the HTTP server. */
export interface Service {
  readonly name: string;
  /** Starts work; long-running work stops when `signal` aborts. */
  start(signal: AbortSignal): Promise<void> | void;
  /** Finishes in-flight work and releases resources. Called once, in reverse start order. */
  stop(): Promise<void> | void;
}

export interface Lifecycle {
  start(signal: AbortSignal): Promise<void>;
  /** Stops started services in reverse order; each gets `stopTimeoutMs` before we move on. */
  stop(): Promise<void>;
}

export function createLifecycle(deps: { services: readonly Service[]; log: Logger; stopTimeoutMs?: number; clock?: Clock }): Lifecycle {
  const clock = deps.clock ?? systemClock;
  const started: Service[] = [];
  const stopTimeoutMs = deps.stopTimeoutMs ?? 10_000;
  let stopping: Promise<void> | undefined;
  return {
    async start(signal) {
      for (const service of deps.services) {
        if (signal.aborted) return;
        await service.start(signal);
        started.push(service);
        deps.log.debug({ service: service.name }, 'service started');
      }
    },
    stop() {
      stopping ??= (async () => {
        for (const service of [...started].reverse()) {
          try {
            const outcome = await waitAtMost(
              clock,
              stopTimeoutMs,
              Promise.resolve().then(() => service.stop()),
            );
            if (!outcome.settled) deps.log.warn({ service: service.name, stopTimeoutMs }, 'service did not stop in time');
          } catch (err) {
            deps.log.error({ err, service: service.name }, 'service failed to stop');
          }
        }
      })();
      return stopping;
    },
  };
}
