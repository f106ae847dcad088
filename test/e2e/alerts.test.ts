/**
 * The chat contract (docs/chat-contract.md) §5 (and §6 "refreshed silently"), black box, as ONE combined scenario: the bot
 * refuses POLL_INTERVAL_SECONDS below 30 and offers no test knob, so every poll costs real
 * time. Two bot processes in a row on the same database:
 *   run 1: log in, then a motion clip, a doorbell press and a 2 MB clip (limit 1 MB) arrive
 *          at the first poll; quiet hours cover now; history before the link stays quiet.
 *   down:  a clip is added; account 1's access token expires; account 2's session is revoked.
 *   run 2: the clip from the downtime arrives, nothing is repeated, account 1 refreshes
 *          silently, account 2's owner is told once to /login again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startBlinkSimulator } from '../../src/simulator/index.js';
import { startFakeTelegram, type RecordedCall } from '../helpers/fake-telegram/index.js';
import { until } from '../helpers/until.js';
import { ACCOUNT, EMAIL, FRONT_DOOR, LIVING_ROOM, PASSWORD, PORCH, outputsTo, sha, shown, sleep, spawnBot, telegramUser } from './harness.js';
import { tempDir } from '../helpers/temp-dir.js';

const OWNER = 100;
const OWNER2 = 101;
const EMAIL2 = 'second@example.com';
const PASSWORD2 = 'second-account-password';
const SMALL = 4096;
const BIG = 2 * 1024 * 1024;
/** First poll of a session comes at most one period (+ jitter) after it is linked or the bot starts. */
const POLL_WAIT_MS = 50_000;

function hhmm(ms: number): string {
  const d = new Date(ms);
  return `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
}

test('§5 motion alerts across a restart: once, with caption, rings loud in quiet hours, big clips as thumbnails, dead sessions told once', async (t) => {
  const sim = await startBlinkSimulator();
  t.after(() => sim.close());
  const second = sim.addAccount({ email: EMAIL2, password: PASSWORD2, networks: [{ name: 'Cabin', devices: [{ family: 'camera', name: 'Garage' }] }] });
  const fake = await startFakeTelegram();
  t.after(() => fake.close());
  const dbPath = path.join(tempDir(t), 'bot.sqlite');
  const env = {
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_API_ROOT: fake.apiRoot,
    TELEGRAM_UPLOAD_LIMIT_MB: '1',
    BLINK_REST_URL: sim.restUrlTemplate,
    BLINK_OAUTH_URL: sim.oauthUrl,
    DATABASE_PATH: dbPath,
    ALLOWED_CHATS: `tg:${OWNER},tg:${OWNER2}`,
    POLL_INTERVAL_SECONDS: '30',
    TZ: 'UTC',
    LOG_LEVEL: process.env['E2E_LOG_LEVEL'] ?? 'debug',
  };
  const { say } = telegramUser(fake);
  const videoBytes = (c: RecordedCall): string => sha(c.files[0]?.bytes);
  const isVideoOf =
    (id: number) =>
    (c: RecordedCall): boolean =>
      c.method === 'sendVideo' && c.response.ok && videoBytes(c) === sha(sim.expectedClipBytes(id));

  // ---- run 1
  const run1 = spawnBot(t, env);
  await run1.waitForOutput(/"msg":"ready"/, 20_000);
  for (const [chat, email, password] of [
    [OWNER, EMAIL, PASSWORD],
    [OWNER2, EMAIL2, PASSWORD2],
  ] as const) {
    await say(chat, chat, '/login', /email/i);
    await say(chat, chat, email, /password/i);
    await say(chat, chat, password, /logged in|linked/i);
  }
  const now = Date.now();
  await say(OWNER, OWNER, `/quiet ${hhmm(now - 3_600_000)}-${hhmm(now + 3_600_000)}`, /Quiet hours/i);
  // Created after the link, before the bot's first poll of the session.
  const early = sim.addClip({ cameraId: FRONT_DOOR, size: SMALL });
  const sinceEarly = fake.calls.length;
  // The bot's first poll (its baseline) comes up to one period after start; the early clip's
  // alert marks that the poll was read and handled, so the clips below are new to it.
  await fake.waitFor(isVideoOf(early), { since: sinceEarly, timeoutMs: POLL_WAIT_MS });
  const linkedAt = sim.now();
  const motion = sim.addClip({ cameraId: FRONT_DOOR, createdAt: linkedAt + 1000, size: SMALL });
  const ring = sim.addClip({ cameraId: PORCH, source: 'button', createdAt: linkedAt + 1000, size: SMALL });
  const big = sim.addClip({ cameraId: LIVING_ROOM, createdAt: linkedAt + 1000, size: BIG });
  const since1 = fake.calls.length;

  const motionCall = await fake.waitFor(isVideoOf(motion), { since: since1, timeoutMs: POLL_WAIT_MS }).catch((error: unknown) => {
    throw new Error(`no motion alert; bot log tail:\n${run1.stdout().slice(-4000)}\n${run1.stderr().slice(-2000)}`, { cause: error });
  });
  await t.test('a new clip arrives as a video with camera, network and time in the caption', () => {
    assert.equal(String(motionCall.params['chat_id']), String(OWNER));
    const caption = shown(motionCall);
    assert.match(caption, /Front Door/);
    assert.match(caption, /Home/);
    const created = new Date(linkedAt + 1000);
    assert.match(caption, new RegExp(hhmm(created.getTime())), 'the clip time (TZ=UTC) is in the caption');
  });
  await t.test('quiet hours: the motion alert arrives silently', () => {
    assert.equal(motionCall.params['disable_notification'], true);
  });

  const ringCall = await fake.waitFor((c) => String(c.params['chat_id']) === String(OWNER) && c.response.ok && /Porch/.test(shown(c)), {
    since: since1,
    timeoutMs: 15_000,
  });
  await t.test('a doorbell press is announced as a ring and is not silenced by quiet hours', () => {
    assert.match(shown(ringCall), /ring|doorbell|🔔/i);
    assert.doesNotMatch(shown(ringCall), /motion/i, 'distinct from motion');
    assert.notEqual(ringCall.params['disable_notification'], true);
    if (ringCall.method === 'sendVideo') assert.equal(videoBytes(ringCall), sha(sim.expectedClipBytes(ring)));
  });

  const bigCall = await fake.waitFor((c) => String(c.params['chat_id']) === String(OWNER) && c.response.ok && /Living Room/.test(shown(c)), {
    since: since1,
    timeoutMs: 15_000,
  });
  await t.test('a clip over TELEGRAM_UPLOAD_LIMIT_MB is sent as its thumbnail with a note', () => {
    assert.equal(bigCall.method, 'sendPhoto');
    assert.equal(sha(bigCall.files[0]?.bytes), sha(sim.expectedClipThumbnailBytes(big)), 'the clip thumbnail');
    assert.match(shown(bigCall), /Living Room/);
    assert.ok(shown(bigCall).split('\n').length >= 2, `a note beside the caption: ${shown(bigCall)}`);
    assert.equal(fake.callsOf('sendVideo').filter((c) => videoBytes(c) === sha(sim.expectedClipBytes(big))).length, 0, 'no upload over the limit');
  });

  // Real time on purpose: a child process, and "sent once" has no later event to wait for; a
  // repeat of the early clip or of history would follow within this pause.
  await sleep(1500);
  await t.test('a clip created after the link but before the first poll is alerted too', () => {
    assert.equal(fake.calls.filter((c) => c.seq > sinceEarly && isVideoOf(early)(c)).length, 1);
  });
  await t.test('history from before the link is not replayed', () => {
    const alerts = outputsTo(fake, OWNER, since1).filter((c) => /Motion|rang|ring/i.test(shown(c)) && !isVideoOf(early)(c));
    assert.equal(alerts.length, 3, alerts.map((c) => `${c.method}: ${shown(c)}`).join('\n'));
    assert.equal(outputsTo(fake, OWNER2, since1).length, 0, 'nothing for the second account yet');
  });

  // ---- down
  assert.equal(await run1.stop(), 0, 'SIGTERM stops cleanly');
  const during = sim.addClip({ cameraId: FRONT_DOOR, size: SMALL });
  sim.expireAccessTokens(ACCOUNT);
  sim.expireAccessTokens(second.accountId);
  sim.revokeRefreshTokens(second.accountId);

  // ---- run 2
  const since2 = fake.calls.length;
  const run2 = spawnBot(t, env);
  await run2.waitForOutput(/"msg":"ready"/, 20_000);
  const duringCall = await fake.waitFor(isVideoOf(during), { since: since2, timeoutMs: POLL_WAIT_MS });
  const notice = await fake.waitFor((c) => String(c.params['chat_id']) === String(OWNER2) && c.response.ok && /login/i.test(shown(c)), {
    since: since2,
    timeoutMs: POLL_WAIT_MS,
  });
  // Real time on purpose, as above: a repeat after the restart would follow within this pause.
  await sleep(2000);

  await t.test('a clip added while the bot was down arrives after the restart; nothing is repeated', () => {
    assert.equal(String(duringCall.params['chat_id']), String(OWNER));
    const after = outputsTo(fake, OWNER, since2);
    const alerts = after.filter((c) => /Motion|rang|ring/i.test(shown(c)));
    assert.equal(alerts.length, 1, alerts.map((c) => `${c.method}: ${shown(c)}`).join('\n'));
  });
  await t.test('an expired access token is refreshed silently (§6)', () => {
    const after = outputsTo(fake, OWNER, since2).filter((c) => c !== duringCall);
    assert.deepEqual(after.map(shown), [], 'the owner of the refreshed session hears nothing else');
  });
  await t.test('a session that cannot be refreshed: its owner is told once to /login again', async () => {
    assert.match(shown(notice), /\/login/);
    await until(() => run2.stdout().length > 0, 'output', 15_000);
    const notices = outputsTo(fake, OWNER2, since2);
    assert.equal(notices.length, 1, notices.map(shown).join('\n'));
  });
  assert.equal(await run2.stop(), 0);
});
