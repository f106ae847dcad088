/**
 * The bot process for the crash test: builds the app exactly as src/main.ts does
 * (loadConfig → createApp → createLifecycle), with two test-only changes that users cannot
 * reach: the poll period comes from BLINK_BOT_TEST_POLL_MS (honoured only when
 * NODE_ENV=test, since POLL_INTERVAL_SECONDS refuses < 30 s by contract), and Blink waits
 * are shortened through createApp's `blink` option (as the demo does). Logs go to stdout.
 */
import { createApp } from '../../src/app/create-app.js';
import { createLifecycle } from '../../src/app/lifecycle.js';
import { loadConfig, type Config } from '../../src/config/index.js';

if (process.env['NODE_ENV'] !== 'test') {
  process.stderr.write('crash-entry is a test harness; run it with NODE_ENV=test\n');
  process.exit(2);
}

const loaded = loadConfig(process.env, { requireFrontEnd: true });
const pollMs = Number(process.env['BLINK_BOT_TEST_POLL_MS'] ?? '');
const config: Config = Number.isFinite(pollMs) && pollMs > 0 ? { ...loaded, pollIntervalSeconds: pollMs / 1000 } : loaded;

const controller = new AbortController();
const app = await createApp({
  config,
  onFatal: (line) => {
    process.stderr.write(`${line}\n`);
    controller.abort(new Error(line));
  },
  blink: {
    limits: { globalPerSecond: 1_000, perAccountMinTimeMs: 0, backoffBaseMs: 20, backoffMaxMs: 200, maxRetryAfterWaitMs: 1_000 },
    timeouts: { apiMs: 2_000, mediaMs: 4_000 },
    commands: { pollIntervalMs: 50, busyBackoffMs: 20, snapBackoffMs: 20 },
  },
  stopDeadlineMs: 2_000,
});
const lifecycle = createLifecycle({ services: app.services, log: app.log, stopTimeoutMs: 3_000 });
const keepAlive = setInterval(() => undefined, 1 << 30);

async function stop(reason: string): Promise<void> {
  app.log.info({ reason }, 'stopping');
  clearInterval(keepAlive);
  await lifecycle.stop();
  await app.close();
  process.exit(0);
}
process.on('SIGTERM', () => void stop('SIGTERM'));
controller.signal.addEventListener('abort', () => void stop('fatal'), { once: true });

await lifecycle.start(controller.signal);
app.log.info({ pid: process.pid }, 'ready');
