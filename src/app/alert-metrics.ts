/**
 * Feeds polls_total, alerts_* and linked_sessions from what the alert service and the
 * database already count, at scrape time. The alert service keeps running totals; the
 * Prometheus counters get the increase since the previous scrape.
 */
import type { AlertServiceStats } from '../alerts/alert-service.js';
import type { SessionsRepository } from '../db/repositories/sessions.js';
import type { Metrics } from '../metrics/metrics.js';

export function createAlertMetricsCollector(deps: { sessions: Pick<SessionsRepository, 'countByState'>; stats: () => AlertServiceStats | undefined }) {
  let last = { polls: 0, failures: 0, sent: 0, failed: 0 };
  return (metrics: Metrics): void => {
    const counts = new Map<string, number>([
      ['linked', 0],
      ['needs-login', 0],
    ]);
    for (const [state, n] of deps.sessions.countByState()) counts.set(state, n);
    for (const [state, n] of counts) metrics.linkedSessions(state, n);

    const stats = deps.stats();
    if (!stats) return;
    const now = { polls: stats.polls, failures: stats.pollFailures, sent: stats.sent, failed: stats.outbox.failed };
    const delta = (key: keyof typeof now): number => Math.max(0, now[key] - last[key]);
    const failedPolls = delta('failures');
    const okPolls = Math.max(0, delta('polls') - failedPolls);
    if (okPolls > 0) metrics.poll('ok', okPolls);
    if (failedPolls > 0) metrics.poll('failed', failedPolls);
    if (delta('sent') > 0) metrics.alertDelivered(delta('sent'));
    if (delta('failed') > 0) metrics.alertFailed(delta('failed'));
    last = now;
  };
}
