import assert from 'node:assert/strict';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { clipPayload } from '../../src/alerts/alert-payload.js';
import { createAlertStore } from '../../src/alerts/alert-store.js';
import { createBlinkService } from '../../src/blink/service.js';
import { systemClock } from '../../src/clock.js';
import { createSessionManager } from '../../src/core/session-manager.js';
import { createRepositories, openDatabase } from '../../src/db/index.js';
import { createSilentLogger } from '../../src/log.js';
import { createSealer } from '../../src/secrets/index.js';
import { startBlinkSimulator, type BlinkSimulator } from '../../src/simulator/index.js';
import { startFakeTelegram, type FakeTelegram } from '../helpers/fake-telegram/index.js';
import { spawnEntry, type SpawnEntryOptions } from '../helpers/spawn-entry.js';
import { tempDir } from '../helpers/temp-dir.js';

const KEY = 'ab'.repeat(32);
const CHAT = 4242;

const spawnMain = (env: Record<string, string>, onStdout: SpawnEntryOptions['onStdout']) =>
  spawnEntry(['src/main.ts'], env, onStdout ? { onStdout } : {}).finished;

async function setUp(t: TestContext): Promise<{ sim: BlinkSimulator; tg: FakeTelegram; env: Record<string, string>; databasePath: string }> {
  const sim = await startBlinkSimulator();
  const tg = await startFakeTelegram();
  t.after(async () => {
    await sim.close();
    await tg.close();
  });
  const dir = tempDir(t, 'blink-shutdown-');
  const databasePath = path.join(dir, 'bot.sqlite');
  const env = {
    TELEGRAM_BOT_TOKEN: tg.token,
    TELEGRAM_API_ROOT: tg.apiRoot,
    BLINK_REST_URL: sim.restUrlTemplate,
    BLINK_OAUTH_URL: sim.oauthUrl,
    DATABASE_PATH: databasePath,
    SECRET_KEY: KEY,
    ALLOWED_CHATS: `tg:${CHAT}`,
    LOG_LEVEL: 'info',
  };
  return { sim, tg, env, databasePath };
}

/** A linked session for tg:CHAT and one motion alert waiting in the outbox (as after a restart). */
async function seedPendingAlert(sim: BlinkSimulator, databasePath: string): Promise<void> {
  const db = openDatabase({ path: databasePath });
  const repos = createRepositories(db);
  const blink = createBlinkService({ urls: { oauth: sim.oauthUrl, restTemplate: sim.restUrlTemplate }, clock: systemClock, log: createSilentLogger() });
  try {
    const sessions = createSessionManager({ repos, sealer: createSealer(Buffer.from(KEY, 'hex')), blink, clock: systemClock, log: createSilentLogger() });
    const step = await blink.login('owner@example.com', 'correct-horse-battery-staple');
    assert.equal(step.kind, 'done');
    const session = sessions.saveLogin(`tg:${CHAT}`, step.session, 'owner@example.com');
    repos.links.link({ chat: `tg:${CHAT}`, sessionId: session.id, linkedBy: `tg:${CHAT}` }, Date.now());
    const clip = await sessions.accountForSession(session).findClip('7000005');
    assert.ok(clip);
    createAlertStore(db).enqueue(
      { sessionId: session.id, mediaId: clip.id, chat: `tg:${CHAT}`, kind: 'motion', payload: clipPayload(clip, false) },
      Date.now(),
    );
  } finally {
    await blink.close();
    db.close();
  }
}

test('SIGTERM during an alert upload lets it finish, then exits 0 (F29)', async (t) => {
  const { sim, tg, env, databasePath } = await setUp(t);
  await seedPendingAlert(sim, databasePath);
  // The clip download (the first half of the upload) takes 2 s.
  sim.injectFault({ method: 'GET', path: /\.mp4$/, delayMs: 2_000 });
  let signalledAt = 0;
  const result = await spawnMain(env, (stdout, child) => {
    if (signalledAt === 0 && stdout.includes('"msg":"ready"')) {
      signalledAt = Date.now();
      // Real time on purpose: a child process, and nothing it does marks "upload under way";
      // half a second after ready falls inside the 2 s download with a wide margin either side.
      setTimeout(() => child.kill('SIGTERM'), 500);
    }
  });
  assert.equal(result.code, 0, result.stderr);
  assert.ok(signalledAt > 0);
  const videos = tg.callsOf('sendVideo');
  assert.equal(videos.length, 1, 'the alert in flight was delivered');
  assert.equal(String(videos[0]?.params.chat_id), String(CHAT));
  const db = openDatabase({ path: databasePath });
  t.after(() => db.close());
  assert.deepEqual(db.prepare('SELECT state FROM outbox').all(), [{ state: 'sent' }]);
});

test('Telegram 409 Conflict: one clear line on stderr and a non-zero exit', async (t) => {
  const { tg, env } = await setUp(t);
  tg.conflictGetUpdates();
  const result = await spawnMain(env, () => undefined);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /409 Conflict: another instance is polling with this TELEGRAM_BOT_TOKEN/);
  assert.equal(result.stderr.includes(tg.token), false);
});
