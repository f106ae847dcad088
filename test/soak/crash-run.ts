/**
 * Crash safety (docs/chat-contract.md F28): the real bot process is SIGKILLed at seeded random moments
 * while clips appear in the Blink simulator and the owner sends commands, and restarted
 * each time. The simulator and the fake Telegram server live in this process, so they
 * survive every kill and see everything. At the end: SQLite integrity and foreign keys,
 * every clip delivered to every linked chat, duplicates ≤ kills, the session intact.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { z } from 'zod';
import { startBlinkSimulator } from '../../src/simulator/index.js';
import { startFakeTelegram, type FakeTelegram, type RecordedCall } from '../helpers/fake-telegram/index.js';
import { summarizeCall } from '../helpers/fake-telegram/recorder.js';

export interface CrashRunOptions {
  kills: number;
  seed: number;
  /** Poll period of the bot under test. Default 250 ms. */
  pollMs?: number;
  /** A new clip every this many ms while the bot runs or is down. Default 2000 (Telegram lets a bot post 20 messages a minute to a group; faster would only measure the throttle). */
  clipEveryMs?: number;
  /** Longest life of one bot process before the kill, after it is ready. Default 1500 ms. */
  maxLifeMs?: number;
  progress?: (line: string) => void;
  /** How long the final run may take to deliver the rest. Default 15 s. */
  finalWaitMs?: number;
}

export interface CrashRunResult {
  kills: number;
  clipsCreated: number;
  /** Chats each clip should reach. */
  chats: number;
  delivered: number;
  lost: { clip: number; chat: number }[];
  duplicates: number;
  integrity: string;
  foreignKeyProblems: number;
  sessionIntact: boolean;
  commandsSent: number;
  /** Alerts that arrived as a summary line instead of a video (backlog cap after downtime). */
  summarised: number;
  /** Outbox rows by state at the end (all 'sent' is the goal). */
  outbox: Record<string, number>;
  logDir: string;
}

const EMAIL = 'owner@example.com';
const PASSWORD = 'correct-horse-battery-staple';
const OWNER = 200_001;
const GROUP = -1_002_000_000_001;
const root = new URL('../..', import.meta.url).pathname;

/** mulberry32: small, seeded, good enough for choosing kill moments. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const VideoResult = z.object({ result: z.object({ video: z.object({ file_unique_id: z.string() }) }) });

/** clip id → chat → times delivered as a video, from the fake's record of sendVideo. */
function deliveries(fake: FakeTelegram): Map<number, Map<number, number>> {
  const clipOfFile = new Map<string, number>();
  const out = new Map<number, Map<number, number>>();
  for (const call of fake.callsOf('sendVideo')) {
    if (!call.response.ok) continue;
    const unique = VideoResult.safeParse(call.response);
    if (!unique.success) continue;
    const upload = call.files[0];
    const fromName = upload ? Number(/^(\d+)\.mp4$/.exec(upload.filename)?.[1]) : NaN;
    if (Number.isFinite(fromName)) clipOfFile.set(unique.data.result.video.file_unique_id, fromName);
    const clip = clipOfFile.get(unique.data.result.video.file_unique_id);
    if (clip === undefined) continue;
    const chat = Number(call.params['chat_id']);
    const perChat = out.get(clip) ?? new Map<number, number>();
    perChat.set(chat, (perChat.get(chat) ?? 0) + 1);
    out.set(clip, perChat);
  }
  return out;
}

export async function runCrashSoak(options: CrashRunOptions): Promise<CrashRunResult> {
  const random = prng(options.seed);
  const note = options.progress ?? (() => undefined);
  const sim = await startBlinkSimulator({ commandPolls: 1 });
  const fake = await startFakeTelegram();
  const dir = mkdtempSync(path.join(tmpdir(), 'crash-soak-'));
  const dbPath = path.join(dir, 'bot.sqlite');
  const env = crashEntryEnv(fake, sim, { dbPath, pollMs: options.pollMs ?? 250, allowed: [OWNER, GROUP], logLevel: 'debug' });
  let run = 0;
  let child: ChildProcess | undefined;

  async function startBot(): Promise<ChildProcess> {
    run += 1;
    const out = createWriteStream(path.join(dir, `run-${run}.log`));
    return startCrashEntry(
      env,
      `bot run ${run}`,
      (proc) => {
        proc.stdout?.pipe(out);
        proc.stderr?.pipe(out);
      },
      ` (see ${dir})`,
    );
  }

  const say = (text: string, chatId = OWNER, userId = OWNER): Promise<RecordedCall> => sayAndAwaitReply(fake, text, chatId, userId);

  const kill = async (proc: ChildProcess): Promise<void> => {
    const exited = new Promise<void>((r) => proc.once('exit', () => r()));
    proc.kill('SIGKILL');
    await exited;
  };

  try {
    // Set-up run: log in, link the group. Not counted as a kill.
    child = await startBot();
    await say('/login');
    await say(EMAIL);
    await say(PASSWORD);
    await say('/link', GROUP);
    // Wait for the baseline poll (the cursor is stored): clips from before it count as
    // history by design, so the kills start once the account has a cursor.
    const baselined = (): boolean => {
      const db = new Database(dbPath, { readonly: true });
      try {
        return z.object({ n: z.number() }).parse(db.prepare('SELECT count(*) AS n FROM blink_sessions WHERE poll_watermark IS NOT NULL').get()).n > 0;
      } finally {
        db.close();
      }
    };
    const baselineBy = Date.now() + 10_000;
    while (!baselined() && Date.now() < baselineBy) await sleep(50);
    if (!baselined()) throw new Error('the bot never polled the new session');
    await kill(child);

    const created: number[] = [];
    let clipsOn = true;
    const clipLoop = (async () => {
      while (clipsOn) {
        created.push(sim.addClip({ cameraId: 4001, source: 'pir' }));
        await sleep(options.clipEveryMs ?? 2_000);
      }
    })();
    let commandsSent = 0;
    const startupMs: number[] = [];
    let commandsOn = true;

    for (let k = 1; k <= options.kills; k++) {
      const t0 = Date.now();
      child = await startBot();
      startupMs.push(Date.now() - t0);
      commandsOn = true;
      const life = Math.floor(random() * (options.maxLifeMs ?? 1_500));
      const commandLoop = (async () => {
        while (commandsOn) {
          fake.sendUserMessage({ userId: OWNER, chatId: OWNER, text: random() < 0.5 ? '/status' : '/clips' });
          commandsSent++;
          await sleep(200 + Math.floor(random() * 300));
        }
      })();
      await sleep(life);
      commandsOn = false;
      await kill(child);
      await commandLoop;
      note(`kill ${k}/${options.kills} ${life} ms after ready (start took ${startupMs.at(-1)} ms); clips so far ${created.length}`);
    }
    clipsOn = false;
    await clipLoop;

    // Final run: everything created must arrive; then a clean stop.
    child = await startBot();
    const chats = [OWNER, GROUP];
    const missing = (): { clip: number; chat: number }[] => {
      const got = deliveries(fake);
      return created.flatMap((clip) => chats.filter((chat) => (got.get(clip)?.get(chat) ?? 0) === 0).map((chat) => ({ clip, chat })));
    };
    const end = Date.now() + (options.finalWaitMs ?? 15_000);
    while (missing().length > 0 && Date.now() < end) await sleep(100);
    const status = await say('/status');
    const sessionWorks = /armed|disarmed/i.test(String(status.params['text']));
    const exited = new Promise<number | null>((r) => child?.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    const code = await exited;
    child = undefined;

    const db = new Database(dbPath, { readonly: true });
    let integrity = '';
    let foreignKeyProblems = 0;
    let sessionRow = false;
    let outbox: Record<string, number> = {};
    try {
      integrity = z
        .array(z.object({ integrity_check: z.string() }))
        .parse(db.prepare('PRAGMA integrity_check').all())
        .map((r) => r.integrity_check)
        .join(',');
      foreignKeyProblems = db.prepare('PRAGMA foreign_key_check').all().length;
      const row = z
        .object({ n: z.number() })
        .parse(db.prepare("SELECT count(*) AS n FROM blink_sessions WHERE state <> 'needs-login' AND sealed_tokens IS NOT NULL").get());
      sessionRow = row.n === 1;
      outbox = Object.fromEntries(
        z
          .array(z.object({ state: z.string(), n: z.number() }))
          .parse(db.prepare('SELECT state, count(*) AS n FROM outbox GROUP BY state').all())
          .map((r) => [r.state, r.n]),
      );
    } finally {
      db.close();
    }
    writeFileSync(
      path.join(dir, 'fake-calls.txt'),
      fake.calls
        .filter((c) => c.method !== 'getUpdates')
        .map((c) => `${c.at} ${summarizeCall(c)} ${c.files.map((f) => f.filename).join(',')}`)
        .join('\n'),
    );
    const got = deliveries(fake);
    let delivered = 0;
    let duplicates = 0;
    for (const clip of created)
      for (const chat of chats) {
        const n = got.get(clip)?.get(chat) ?? 0;
        if (n > 0) delivered++;
        if (n > 1) duplicates += n - 1;
      }
    const summarised = fake.calls.filter(
      (c) => c.response.ok && /older|more clips|while I was/i.test(String(c.params['text'] ?? c.params['caption'] ?? '')),
    ).length;
    return {
      kills: options.kills,
      clipsCreated: created.length,
      chats: chats.length,
      delivered,
      lost: missing(),
      duplicates,
      integrity,
      foreignKeyProblems,
      sessionIntact: sessionRow && sessionWorks && code === 0,
      commandsSent,
      summarised,
      outbox,
      logDir: dir,
    };
  } finally {
    if (child && child.exitCode === null) await kill(child);
    await fake.close();
    await sim.close();
    if (process.env['KEEP_SOAK_LOGS'] !== '1') rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The environment of a `crash-entry.ts` bot against this fake Telegram and simulator: the
 * parent's environment (PATH, node) plus the bot's, with a fresh key and the poll period
 * shortened through BLINK_BOT_TEST_POLL_MS.
 */
export function crashEntryEnv(
  fake: Pick<FakeTelegram, 'token' | 'apiRoot'>,
  sim: { restUrlTemplate: string; oauthUrl: string },
  o: { dbPath: string; pollMs: number; allowed: number[]; logLevel: 'info' | 'debug' },
): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: 'test',
    BLINK_BOT_TEST_POLL_MS: String(o.pollMs),
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_API_ROOT: fake.apiRoot,
    BLINK_REST_URL: sim.restUrlTemplate,
    BLINK_OAUTH_URL: sim.oauthUrl,
    DATABASE_PATH: o.dbPath,
    SECRET_KEY: randomBytes(32).toString('hex'),
    ALLOWED_CHATS: o.allowed.map((id) => `tg:${id}`).join(','),
    LOG_LEVEL: o.logLevel,
    TZ: 'UTC',
  };
}

/**
 * Starts `test/soak/crash-entry.ts` (the bot with the test poll period) on `env`; `attach`
 * sees the process before it is ready (to keep or drop its output). Resolves once ready.
 */
export async function startCrashEntry(env: NodeJS.ProcessEnv, what: string, attach: (proc: ChildProcess) => void, hint = ''): Promise<ChildProcess> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'test/soak/crash-entry.ts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  attach(proc);
  await waitForReady(proc, what, hint);
  return proc;
}

/** Sends `text` as `userId` in `chatId` and resolves with the bot's next sendMessage to that chat. */
export function sayAndAwaitReply(fake: FakeTelegram, text: string, chatId: number, userId = chatId): Promise<RecordedCall> {
  const since = fake.calls.at(-1)?.seq ?? 0;
  fake.sendUserMessage({ userId, chatId, text });
  return fake.waitFor((c) => c.seq > since && c.method === 'sendMessage' && Number(c.params['chat_id']) === chatId, { timeoutMs: 10_000, since });
}

/** Resolves once the bot process logged "ready"; rejects after 45 s (a loaded CI machine) or if it exits first. */
export function waitForReady(proc: ChildProcess, what: string, hint = ''): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`${what} not ready in 45 s${hint}`)), 45_000);
    proc.stdout?.on('data', (chunk: Buffer) => {
      seen = (seen + chunk.toString('utf8')).slice(-4096);
      if (seen.includes('"msg":"ready"')) {
        clearTimeout(timer);
        resolve();
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${code} before ready${hint}`));
    });
  });
}
