/**
 * Benchmark 1: Blink requests per operation, counted at the simulator. The bot side runs
 * in this process (request counts do not depend on which process makes them); the
 * simulator and the fake Bot API may run anywhere, reached over loopback.
 */
import type { Outcome } from '../src/core/inbound.js';
import type { Reply } from '../src/core/reply.js';
import { buildBot, linkAccount, pastLinkSecond, type Bot } from './lib/bot.js';
import { simControl, threeCameraSeed, type SimControlClient } from './lib/sim-control.js';
import { fmt, summarize, table, type Summary } from './lib/stats.js';

/** blinkpy 0.23 against the same 3-camera account, as given in the issue. */
export const BLINKPY: Record<string, { label: string; value: number }> = {
  startup: { label: 'start-up with saved credentials', value: 11 },
  idlePoll: { label: 'due refresh, nothing new', value: 5 },
  newClipPoll: { label: 'refresh after one new clip', value: 7 },
  status: { label: 'forced refresh', value: 8 },
  download50: { label: 'download of 2 pages of 25 clips', value: 53 },
};

export const OPERATIONS = ['startup', 'idlePoll', 'newClipPoll', 'status', 'snap', 'arm', 'download50'] as const;
export type Operation = (typeof OPERATIONS)[number];
export const LABELS: Record<Operation, string> = {
  startup: 'start-up with a saved session',
  idlePoll: 'idle poll',
  newClipPoll: 'poll with one new clip (alert sent)',
  status: '/status',
  snap: '/snap <camera> (photo sent)',
  arm: '/arm',
  download50: 'download 50 clips (list + 50 videos)',
};

export interface RequestsOptions {
  simUrl: string;
  tgApiRoot?: string | undefined;
  tgToken?: string | undefined;
  rounds: number;
}

export interface RequestsResult {
  rounds: number;
  ops: Record<Operation, Summary & { routes: Record<string, number> }>;
}

let accountSeq = 0;

async function counted(sim: SimControlClient, run: () => Promise<unknown>): Promise<{ total: number; routes: Record<string, number> }> {
  await sim.resetCounts();
  await run();
  const { total, ...routes } = await sim.counts();
  return { total, routes };
}

const fast = {
  limits: { globalPerSecond: 100_000, perAccountMinTimeMs: 0, maxAttempts: 1 },
  commands: { pollIntervalMs: 20, snapBackoffMs: 20, busyBackoffMs: 20 },
};

async function command(bot: Bot, owner: string, name: string, text = ''): Promise<Reply> {
  const outcome: Outcome = await bot.dispatcher.handle({
    chat: { id: owner, platform: 'tg', kind: 'private' },
    caller: { id: owner },
    event: { type: 'command', name, text },
    progress: { async update() {}, action() {} },
  });
  return outcome.reply;
}

async function oneRound(opts: RequestsOptions, sim: SimControlClient): Promise<Record<Operation, { total: number; routes: Record<string, number> }>> {
  const n = ++accountSeq + Math.floor(Math.random() * 1e6);
  const owner = `tg:${7000 + (n % 100_000)}`;
  const seed = { ...threeCameraSeed(n), email: `req${n}@example.com` };
  // A previous run: login-time baseline poll, so the saved session has a watermark.
  const before = buildBot({ simUrl: opts.simUrl, ...fast });
  let watermark: { watermark: string | null; watermarkMs: number | null };
  let account: Awaited<ReturnType<typeof linkAccount>>;
  try {
    account = await linkAccount(before, sim, seed, owner);
    await sim.post('addClip', { accountId: account.accountId, cameraId: account.deviceIds[0], createdAt: Date.now() - 3_600_000 });
    await before.alerts.pollNow(account.sessionId);
    const row = before.repos.sessions.getById(account.sessionId);
    watermark = { watermark: row?.pollWatermark ?? null, watermarkMs: row?.pollWatermarkMs ?? null };
  } finally {
    await before.close();
  }

  const bot = buildBot({ simUrl: opts.simUrl, tgApiRoot: opts.tgApiRoot, tgToken: opts.tgToken, ...fast });
  try {
    const tokens = await sim.post<{ accessToken: string; refreshToken: string; expiresIn: number }>('issueTokens', { accountId: account.accountId });
    const sessionId = bot.addSession(owner, { accountId: account.accountId, tier: seed.tier, ...tokens });
    bot.repos.sessions.setWatermark(sessionId, watermark, Date.now());
    const out = {} as Record<Operation, { total: number; routes: Record<string, number> }>;
    out.startup = await counted(sim, () => bot.alerts.pollNow(sessionId));
    out.idlePoll = await counted(sim, () => bot.alerts.pollNow(sessionId));
    await pastLinkSecond(bot, sessionId);
    await sim.post('addClip', { accountId: account.accountId, cameraId: account.deviceIds[0] });
    out.newClipPoll = await counted(sim, async () => {
      await bot.alerts.pollNow(sessionId);
      if (bot.alerts.stats().sent < 1)
        throw new Error(
          `the new clip was not sent: ${JSON.stringify({ ...bot.alerts.stats(), latency: undefined })} ${JSON.stringify(bot.db.prepare('select * from outbox').all())}`,
        );
    });
    out.status = await counted(sim, async () => bot.sender.send(owner, await command(bot, owner, 'status')));
    out.snap = await counted(sim, async () => bot.sender.send(owner, await command(bot, owner, 'snap', 'Front Door')));
    out.arm = await counted(sim, async () => bot.sender.send(owner, await command(bot, owner, 'arm')));

    // 50 clips on a second account of the same shape: two full pages of 25.
    const m = n + 500_000;
    const clipsAccount = await linkAccount(bot, sim, { ...threeCameraSeed(m), email: `clips${m}@example.com` }, `tg:${9_000_000 + (m % 100_000)}`);
    const t0 = Date.now() - 50 * 60_000;
    for (let i = 0; i < 50; i++) {
      await sim.post('addClip', { accountId: clipsAccount.accountId, cameraId: clipsAccount.deviceIds[i % 3], createdAt: t0 + i * 60_000, size: 4096 });
    }
    const blink = bot.accountFor(clipsAccount.sessionId);
    out.download50 = await counted(sim, async () => {
      let got = 0;
      for (let page = 1; ; page++) {
        const { clips, hasMore } = await blink.listClips({ page });
        for (const clip of clips) {
          const { stream } = await blink.openClip(clip);
          for await (const _ of stream) void _;
          got++;
        }
        if (!hasMore) break;
      }
      if (got !== 50) throw new Error(`downloaded ${got} clips, expected 50`);
    });
    return out;
  } finally {
    await bot.close();
  }
}

export async function runRequests(opts: RequestsOptions): Promise<RequestsResult> {
  const sim = simControl(opts.simUrl);
  const rounds: Record<Operation, { total: number; routes: Record<string, number> }>[] = [];
  for (let r = 0; r < opts.rounds; r++) rounds.push(await oneRound(opts, sim));
  const ops = {} as RequestsResult['ops'];
  for (const op of OPERATIONS) {
    ops[op] = { ...summarize(rounds.map((x) => x[op].total)), routes: rounds[0]?.[op].routes ?? {} };
  }
  return { rounds: opts.rounds, ops };
}

export function printRequests(r: RequestsResult): string {
  const rows = [['operation', 'requests', 'blinkpy', 'by route (first round)']];
  for (const op of OPERATIONS) {
    const b = BLINKPY[op];
    rows.push([
      LABELS[op],
      fmt(r.ops[op], '', 0),
      b ? `${b.value} (${b.label})` : '—',
      Object.entries(r.ops[op].routes)
        .map(([k, v]) => `${k}×${v}`)
        .join(', '),
    ]);
  }
  return `Requests per operation (counted at the simulator, ${r.rounds} rounds)\n${table(rows)}`;
}
