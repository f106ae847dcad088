import assert from 'node:assert/strict';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { createApp, type App } from '../../src/app/create-app.js';
import { createLifecycle } from '../../src/app/lifecycle.js';
import type { Config } from '../../src/config/index.js';
import type { Inbound, InboundEvent } from '../../src/core/inbound.js';
import { createSilentLogger } from '../../src/log.js';
import { createMetrics } from '../../src/metrics/metrics.js';
import { createOpsServer } from '../../src/http/server.js';
import { startBlinkSimulator, type BlinkSimulator } from '../../src/simulator/index.js';
import { tempDir } from '../helpers/temp-dir.js';

test('/healthz is 200 while the DB answers and every front end is connected, 503 naming the one that is not', async (t) => {
  let telegramUp = true;
  let dbUp = true;
  const server = createOpsServer({
    port: 0,
    health: {
      pingDatabase: () => {
        if (!dbUp) throw new Error('closed');
      },
      frontEnds: { telegram: { connected: () => telegramUp }, discord: { connected: () => true } },
    },
    metrics: createMetrics(),
    log: createSilentLogger(),
  });
  await server.start(new AbortController().signal);
  t.after(() => server.stop());

  const up = await fetch(`${server.url()}/healthz`);
  assert.equal(up.status, 200);
  assert.deepEqual(await up.json(), { ok: true, db: 'ok', frontEnds: { telegram: 'connected', discord: 'connected' } });

  telegramUp = false;
  const down = await fetch(`${server.url()}/healthz`);
  assert.equal(down.status, 503);
  assert.deepEqual(await down.json(), { ok: false, db: 'ok', frontEnds: { telegram: 'disconnected', discord: 'connected' } });

  telegramUp = true;
  dbUp = false;
  const noDb = await fetch(`${server.url()}/healthz`);
  assert.equal(noDb.status, 503);
  assert.equal(((await noDb.json()) as { db: string }).db, 'error');
  assert.equal((await fetch(`${server.url()}/nope`)).status, 404);
});

/** Prometheus text format, line by line: comments, or `name{labels} value`. */
function parsePrometheus(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})?) (-?[0-9.e+-]+|NaN|\+Inf|-Inf)$/.exec(line);
    assert.ok(m, `not Prometheus text: ${line}`);
    samples.set(m[1] ?? '', Number(m[2]));
  }
  return samples;
}

function sum(samples: Map<string, number>, name: string): number {
  let total = 0;
  for (const [key, value] of samples) if (key === name || key.startsWith(`${name}{`)) total += value;
  return total;
}

async function appWithSim(t: TestContext): Promise<{ app: App; sim: BlinkSimulator; say: (event: InboundEvent) => Promise<void> }> {
  const sim = await startBlinkSimulator();
  let stopApp = async (): Promise<void> => undefined;
  // Registered before tempDir's removal (hooks run in order): the app stops before its folder goes.
  t.after(async () => {
    await stopApp();
    await sim.close();
  });
  const dir = tempDir(t, 'blink-ops-');
  const config: Config = {
    telegram: null,
    discord: null,
    blink: { restUrlTemplate: sim.restUrlTemplate, oauthUrl: sim.oauthUrl },
    databasePath: path.join(dir, 'bot.sqlite'),
    secretKey: () => Buffer.alloc(32, 1),
    allowedChats: [],
    adminUsers: [],
    pollIntervalSeconds: 3600,
    retentionDays: 30,
    logLevel: 'silent',
    timeZone: 'UTC',
    httpPort: 0,
  };
  const app = await createApp({
    config,
    log: createSilentLogger(),
    extraAllowedChats: ['term:local'],
    blink: { limits: { perAccountMinTimeMs: 0, backoffBaseMs: 5, backoffMaxMs: 20 }, timeouts: { apiMs: 800, mediaMs: 3_000 } },
    extraFrontEnds: () => [
      {
        name: 'terminal',
        sender: { platform: 'term', uploadLimitBytes: 1e9, send: async () => ({ messageIds: [] }) },
        connected: () => true,
        start: async () => undefined,
        stop: async () => undefined,
      },
    ],
  });
  const lifecycle = createLifecycle({ services: app.services, log: app.log });
  await lifecycle.start(new AbortController().signal);
  stopApp = async () => {
    await lifecycle.stop();
    await app.close();
  };
  const say = async (event: InboundEvent): Promise<void> => {
    const inbound: Inbound = {
      chat: { id: 'term:local', platform: 'term', kind: 'private' },
      caller: { id: 'term:local' },
      event,
      progress: { update: async () => undefined, action: () => undefined },
    };
    await app.dispatcher.handle(inbound);
  };
  return { app, sim, say };
}

test('/metrics is Prometheus text and counts every Blink request the bot made', async (t) => {
  const { app, sim, say } = await appWithSim(t);
  await say({ type: 'command', name: 'login' });
  await say({ type: 'text', text: 'owner@example.com' });
  sim.resetCounts();
  await say({ type: 'text', text: 'correct-horse-battery-staple' });
  await say({ type: 'command', name: 'status' });
  await say({ type: 'command', name: 'arm' });
  // The baseline poll /login started runs in the background: let it finish first, so the
  // simulator's count is final when read.
  const session = app.repos.sessions.getByOwner('term:local');
  assert.ok(session);
  await app.alerts.pollNow(session.id);
  const made = sim.requestCounts().total;
  assert.ok(made > 3, `the bot talked to Blink (${made} requests)`);

  const scrape = async (): Promise<Map<string, number>> => {
    const response = await fetch(`${app.http?.url()}/metrics`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain/);
    return parsePrometheus(await response.text());
  };
  const networkOf = (samples: Map<string, number>): number =>
    [...samples].filter(([k]) => k.startsWith('blink_requests_total{') && k.includes('status="network"')).reduce((n, [, v]) => n + v, 0);
  let samples = await scrape();
  // Asking for the email makes no request, so every request counted is one the simulator saw.
  assert.equal(sum(samples, 'blink_requests_total'), made);
  assert.equal(networkOf(samples), 0);

  // A request that gets no answer (time-out) is counted too, as status "network".
  sim.injectFault({ path: '/homescreen', hang: true, times: 1 });
  await say({ type: 'command', name: 'status' });
  samples = await scrape();
  assert.ok(networkOf(samples) >= 1, 'the unanswered request was counted');
  assert.ok(sum(samples, 'blink_requests_total') >= sim.requestCounts().total, 'every attempt the simulator saw is counted');
  assert.equal(samples.get('linked_sessions{state="linked"}'), 1);
  assert.equal(samples.get('command_duration_seconds_count{command="status"}'), 2);
  assert.equal(samples.get('command_duration_seconds_count{command="arm"}'), 1);
  assert.equal(samples.get('blink_rate_limit_waits_total'), 0);
  assert.equal(samples.get('alerts_delivered_total'), 0);
  assert.equal(samples.get('alerts_failed_total'), 0);
  const health = await fetch(`${app.http?.url()}/healthz`);
  assert.equal(health.status, 200);
});
