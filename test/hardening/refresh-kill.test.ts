/**
 * F9 (docs/chat-contract.md): Blink's token endpoint answers 200 (the refresh token rotated), then the bot
 * process is SIGKILLed before the new tokens reach SQLite. Deterministic: the simulator's
 * `onRequest` hook runs after the rotation and before a byte of the reply is written, and
 * kills the bot right there, so the bot never even reads the new tokens. On restart the old
 * refresh token is tried. With Blink's rotation (the simulator's default: a rotated refresh
 * token is refused) the session becomes needs-login and its owner is told once to /login
 * (F7); with `acceptOldRefreshTokens` the session keeps working. README "Reliability".
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import Database from 'better-sqlite3';
import { z } from 'zod';
import { startBlinkSimulator, type LoggedRequest } from '../../src/simulator/index.js';
import { startFakeTelegram, type RecordedCall } from '../helpers/fake-telegram/index.js';
import { tempDir } from '../helpers/temp-dir.js';
import { until } from '../helpers/until.js';
import { crashEntryEnv, sayAndAwaitReply, startCrashEntry } from '../soak/crash-run.js';

const EMAIL = 'owner@example.com';
const PASSWORD = 'correct-horse-battery-staple';
const OWNER = 300_001;

async function refreshThenKill(t: TestContext, acceptOldRefreshTokens: boolean) {
  let onRequest: ((entry: LoggedRequest) => void) | undefined;
  const sim = await startBlinkSimulator({ commandPolls: 1, acceptOldRefreshTokens, onRequest: (e) => onRequest?.(e) });
  const fake = await startFakeTelegram();
  const children: ChildProcess[] = [];
  // Registered before tempDir's removal so the processes are gone before their folder.
  t.after(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await fake.close();
    await sim.close();
  });
  const dir = tempDir(t, 'refresh-kill-');
  const dbPath = path.join(dir, 'bot.sqlite');
  const env = crashEntryEnv(fake, sim, { dbPath, pollMs: 200, allowed: [OWNER], logLevel: 'info' });

  const startBot = (): Promise<ChildProcess> =>
    startCrashEntry(env, 'bot', (proc) => {
      children.push(proc);
      proc.stderr?.resume();
    });
  const say = (text: string): Promise<RecordedCall> => sayAndAwaitReply(fake, text, OWNER);
  const sessionState = (): string | undefined => {
    const db = new Database(dbPath, { readonly: true });
    try {
      const row = db.prepare('SELECT state FROM blink_sessions').get();
      return row === undefined ? undefined : z.object({ state: z.string() }).parse(row).state;
    } finally {
      db.close();
    }
  };
  const polls = (): number => sim.requestLog().filter((e) => e.routeClass.includes('/media/changed') && e.status === 200).length;
  const tokenAnswers = (status: number): number => sim.requestLog().filter((e) => e.routeClass === 'POST /oauth/token' && e.status === status).length;
  // Messages to the owner after the kill (the login prompts before it mention /login too).
  let sinceKill = Number.POSITIVE_INFINITY;
  const toOwner = (pattern: RegExp): number =>
    fake.calls.filter(
      (c) => c.seq > sinceKill && c.response.ok && Number(c.params['chat_id']) === OWNER && pattern.test(String(c.params['text'] ?? c.params['caption'] ?? '')),
    ).length;

  // First life: log in, let it poll, then expire the access token so the next poll refreshes.
  const first = await startBot();
  await say('/login');
  await say(EMAIL);
  assert.match(String((await say(PASSWORD)).params['text']), /Logged in/);
  const beforePolls = polls();
  await until(() => polls() >= beforePolls + 2, 'polls of the new session', 15_000);
  const grantsBefore = tokenAnswers(200);
  const exited = new Promise<NodeJS.Signals | null>((r) => first.once('exit', (_code, signal) => r(signal)));
  onRequest = (e) => {
    if (e.routeClass === 'POST /oauth/token' && e.status === 200) {
      onRequest = undefined;
      first.kill('SIGKILL'); // synchronous: the reply with the new tokens is not written yet
    }
  };
  sinceKill = fake.calls.at(-1)?.seq ?? 0;
  sim.expireAccessTokens();
  assert.equal(await exited, 'SIGKILL');
  assert.equal(tokenAnswers(200), grantsBefore + 1, 'the refresh succeeded at Blink (the refresh token rotated)');
  assert.equal(sessionState(), 'linked', 'the database still holds the old tokens');

  // Second life: the old refresh token is all the bot has.
  await startBot();
  return { sim, say, sessionState, polls, tokenAnswers, toOwner };
}

// The two cases run side by side (each starts the bot process twice).
test('F9: token refresh answered 200, then SIGKILL before the new tokens are stored', { concurrency: true }, async (outer) => {
  await Promise.all([
    outer.test('Blink rotation (old refresh token refused): needs-login, the owner is told once to /login', async (t) => {
      const h = await refreshThenKill(t, false);
      await until(() => h.toOwner(/\/login/) === 1, 'the /login notice to the owner', 15_000);
      assert.equal(h.sessionState(), 'needs-login');
      assert.ok(h.tokenAnswers(400) + h.tokenAnswers(401) >= 1, 'the old refresh token was refused');
      // Polling stopped: no further Blink poll, no second notice.
      const polls = h.polls();
      // Real time on purpose: the bot is a child process polling every 200 ms (BLINK_BOT_TEST_POLL_MS).
      await new Promise((r) => setTimeout(r, 800));
      assert.equal(h.polls(), polls, 'no poll after needs-login');
      assert.equal(h.toOwner(/\/login/), 1, 'told once');
    }),

    outer.test('acceptOldRefreshTokens: the old refresh token works, the session keeps alerting', async (t) => {
      const h = await refreshThenKill(t, true);
      const polls = h.polls();
      await until(() => h.polls() >= polls + 2, 'polls after the restart', 15_000);
      h.sim.addClip({ cameraId: 4001, source: 'pir' });
      await until(() => h.toOwner(/Motion/i) >= 1, 'the motion alert after the restart', 15_000);
      assert.equal(h.sessionState(), 'linked');
      assert.equal(h.toOwner(/\/login/), 0, 'the owner is not asked to log in');
    }),
  ]);
});
