/**
 * The Discord front end's start when Discord cannot be reached (a Pi that boots before its
 * network): it retries with backoff on the injected clock and comes up once Discord answers;
 * a refused token stays final at once.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createManualClock } from '../../src/clock.js';
import type { Dispatcher } from '../../src/core/inbound.js';
import { createDiscordFrontEnd, type DiscordFrontEndOptions } from '../../src/discord/front-end.js';
import { createLogger } from '../../src/log.js';
import { lineSink } from '../helpers/line-sink.js';
import { freePort } from '../helpers/loopback.js';
import { until } from '../helpers/until.js';
import { startFake } from './harness.js';

const dispatcher: Dispatcher = { handle: async () => ({ reply: { parts: [{ type: 'text', text: 'ok' }] } }) };

function frontEndFor(apiRoot: string, lines: string[], extra: Partial<DiscordFrontEndOptions> = {}) {
  const clock = createManualClock();
  const frontEnd = createDiscordFrontEnd({
    token: 'fake-bot-token',
    applicationId: '100000000000000001',
    apiRoot,
    dispatcher,
    slashCommands: [{ type: 1, name: 'status', description: 'Status', options: [] }],
    autocomplete: async () => [],
    uploadLimitBytes: 10 * 1024 * 1024,
    log: createLogger({ level: 'warn', destination: lineSink(lines) }),
    clock,
    ...extra,
  });
  return { frontEnd, clock };
}

test('Discord unreachable at start: start retries on the clock and the bot comes up once Discord listens', async (t) => {
  const port = await freePort();
  const lines: string[] = [];
  const { frontEnd, clock } = frontEndFor(`http://127.0.0.1:${port}/api`, lines);
  let started = false;
  let failed: unknown;
  const starting = frontEnd.start().then(
    () => (started = true),
    (err: unknown) => (failed = err),
  );
  t.after(() => frontEnd.stop());

  await until(() => lines.filter((l) => l.includes('Discord cannot be reached')).length >= 1, 'the first retry warning', 15_000);
  await clock.advance(1_000);
  await until(() => lines.filter((l) => l.includes('Discord cannot be reached')).length >= 2, 'the second retry warning', 15_000);
  assert.equal(failed, undefined, 'an unreachable Discord is not fatal');
  assert.equal(started, false);
  assert.match(lines.at(-1) ?? '', /"retryInMs":2000/, 'the wait doubles');

  // Discord comes up on that address; the next try (after the 2 s backoff) gets in.
  const fake = await startFake(t, { port });
  t.after(() => frontEnd.stop());
  await clock.advance(2_000);
  await starting;
  assert.equal(failed, undefined);
  assert.equal(started, true);
  await until(() => frontEnd.connected() && fake.gatewayConnected(), 'the gateway session', 15_000);
});

test("Discord refuses the token (401): start rejects at once, no retry, and the app's onFatal hears of it once", async (t) => {
  const fake = await startFake(t, { botToken: 'the-real-token' });
  const lines: string[] = [];
  const fatal: Error[] = [];
  const { frontEnd } = frontEndFor(fake.apiRoot, lines, { onFatal: (error) => fatal.push(error) });
  t.after(() => frontEnd.stop());
  await assert.rejects(frontEnd.start(), /token/i);
  assert.equal(lines.filter((l) => l.includes('Discord cannot be reached')).length, 0);
  assert.equal(fatal.length, 1, 'one fatal report, through the callback the app owns');
  assert.match(fatal[0]?.message ?? '', /token/i);
});

test('stop while start waits to reach Discord: start gives up without waiting out the backoff', async () => {
  const port = await freePort();
  const lines: string[] = [];
  const fatal: Error[] = [];
  const { frontEnd } = frontEndFor(`http://127.0.0.1:${port}/api`, lines, { onFatal: (error) => fatal.push(error) });
  const starting = frontEnd.start();
  await until(() => lines.some((l) => l.includes('Discord cannot be reached')), 'the first retry warning', 15_000);
  await frontEnd.stop();
  await assert.rejects(starting);
  assert.deepEqual(fatal, [], 'a stop is no failure');
});
