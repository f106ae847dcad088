/**
 * Operational counters, exported as Prometheus text on GET /metrics. Components report
 * through the small `Metrics` interface (passed in their deps or tapped at the wiring
 * level); only this file knows prom-client. Each app gets its own Registry: nothing is
 * registered in prom-client's global default registry, so two apps in one process (tests)
 * never collide.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

type PollResult = 'ok' | 'failed' | 'skipped';

/** What the Blink service, the dispatcher and the alerts report. Every method is cheap. */
export interface Metrics {
  /** One HTTP exchange with Blink; `endpointClass` is a path template, never a URL with ids. */
  blinkRequest(endpointClass: string, status: number | 'network'): void;
  /** The Blink client waited for a Retry-After instead of failing. */
  blinkRateLimitWait(): void;
  poll(result: PollResult, count?: number): void;
  alertDelivered(count?: number): void;
  alertFailed(count?: number): void;
  /** Wall time of one command or button press, seconds. */
  commandDuration(command: string, seconds: number): void;
  /** Current number of stored Blink sessions in each state. */
  linkedSessions(state: string, count: number): void;
}

export interface AppMetrics extends Metrics {
  readonly registry: Registry;
  /** Prometheus text exposition. */
  render(): Promise<string>;
  readonly contentType: string;
}

export interface CreateMetricsOptions {
  /** Called on each scrape before rendering, to refresh gauges (linked_sessions). */
  collect?: (metrics: Metrics) => void;
}

export function createMetrics(options: CreateMetricsOptions = {}): AppMetrics {
  const registry = new Registry();
  const requests = new Counter({
    name: 'blink_requests_total',
    help: 'HTTP requests to the Blink cloud, by endpoint class and status (network = no answer).',
    labelNames: ['endpoint_class', 'status'] as const,
    registers: [registry],
  });
  const rateLimitWaits = new Counter({
    name: 'blink_rate_limit_waits_total',
    help: 'Times the Blink client waited for a Retry-After before retrying.',
    registers: [registry],
  });
  const polls = new Counter({
    name: 'polls_total',
    help: 'Motion polls of linked Blink accounts, by result.',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  const delivered = new Counter({ name: 'alerts_delivered_total', help: 'Alerts sent to a chat.', registers: [registry] });
  const failed = new Counter({ name: 'alerts_failed_total', help: 'Alerts given up (chat gone, rejected, too many tries).', registers: [registry] });
  const commands = new Histogram({
    name: 'command_duration_seconds',
    help: 'Time from a command or button press to its reply, seconds.',
    labelNames: ['command'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  const sessions = new Gauge({
    name: 'linked_sessions',
    help: 'Stored Blink sessions by state (linked, needs-login).',
    labelNames: ['state'] as const,
    registers: [registry],
  });

  const metrics: AppMetrics = {
    registry,
    contentType: registry.contentType,
    blinkRequest: (endpointClass, status) => requests.inc({ endpoint_class: endpointClass, status: String(status) }),
    blinkRateLimitWait: () => rateLimitWaits.inc(),
    poll: (result, count = 1) => polls.inc({ result }, count),
    alertDelivered: (count = 1) => delivered.inc(count),
    alertFailed: (count = 1) => failed.inc(count),
    commandDuration: (command, seconds) => commands.observe({ command }, seconds),
    linkedSessions: (state, count) => sessions.set({ state }, count),
    async render() {
      options.collect?.(metrics);
      return registry.metrics();
    },
  };
  return metrics;
}
