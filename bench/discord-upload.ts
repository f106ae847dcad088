/**
 * Benchmark `discord` (`npm run bench -- --only discord`): a 100 MB clip as a Discord alert,
 * simulator → bot → fake Discord, each in its own process (bench/bot-discord-upload.ts is
 * the bot). The bot samples its RSS every 5 ms during the transfer, and again while the same
 * clip goes as a plain piped POST (the floor); the fake Discord counts the big attachment
 * instead of keeping it. Goal: the upload raises the bot's RSS by ≤ 16 MB.
 */
import { runBot, startServer } from './lib/proc.js';
import type { Goal } from './lib/goals.js';
import { fmt, summarize, type Summary } from './lib/stats.js';

/** 100 MB: a boosted server's upload limit (issue "Performance and endurance, round 2"). */
export const DISCORD_CLIP_BYTES = 100 * 1024 * 1024;
const CHANNEL = '300000000000000001';

export interface DiscordUploadResult {
  rounds: number;
  rssIncreaseMb: Summary;
  firstRoundRssIncreaseMb: number;
  /** The same clip piped as a plain multipart POST in the same process: the floor. */
  plainRssIncreaseMb: Summary;
  MBps: Summary;
}

interface Round {
  rssIncreaseMb: number;
  plainRssIncreaseMb: number;
  MBps: number;
}

export async function runDiscordUpload(rounds: number): Promise<DiscordUploadResult> {
  const sim = await startServer('src/simulator/main.ts', ['--empty']);
  // The fake reads its options from the environment; the big attachment is counted, not kept.
  process.env.FAKE_DISCORD_CONFIG = JSON.stringify({
    keepAttachmentBytesUpTo: 1024 * 1024,
    guilds: [{ id: '200000000000000001', channels: [{ id: CHANNEL, name: 'cameras', type: 0 }] }],
  });
  const fake = await startServer('test/helpers/fake-discord/main.ts').finally(() => {
    delete process.env.FAKE_DISCORD_CONFIG;
  });
  try {
    const out = (await runBot(
      'bench/bot-discord-upload.ts',
      {
        simUrl: String(sim.info.url),
        apiRoot: String(fake.info.apiRoot),
        controlRoot: String(fake.info.controlRoot),
        applicationId: String(fake.info.applicationId),
        botToken: String(fake.info.botToken),
        channelId: CHANNEL,
        rounds,
        clipBytes: DISCORD_CLIP_BYTES,
      },
      ['--expose-gc'],
    )) as { rounds: Round[] };
    const rs = out.rounds;
    return {
      rounds: rs.length,
      rssIncreaseMb: summarize(rs.map((r) => r.rssIncreaseMb)),
      firstRoundRssIncreaseMb: rs[0]?.rssIncreaseMb ?? Number.NaN,
      plainRssIncreaseMb: summarize(rs.map((r) => r.plainRssIncreaseMb)),
      MBps: summarize(rs.map((r) => r.MBps)),
    };
  } finally {
    await Promise.all([sim.stop(), fake.stop()]);
  }
}

export function printDiscordUpload(r: DiscordUploadResult): string {
  return [
    `Discord upload (100 MB clip as an alert, ${r.rounds} rounds after a 1 MB warm-up)`,
    `  peak RSS increase, bot:         ${fmt(r.rssIncreaseMb, ' MB', 1)}  (first 100 MB round ${r.firstRoundRssIncreaseMb.toFixed(1)} MB)`,
    `  peak RSS increase, plain copy:  ${fmt(r.plainRssIncreaseMb, ' MB', 1)}  (same download, piped to the fake as it is)`,
    `  poll → whole clip at the fake Discord: ${fmt(r.MBps, ' MiB/s', 0)}`,
  ].join('\n');
}

/** Goal: a 100 MB attachment raises the bot's RSS by at most 16 MB (median of the rounds). */
export function discordUploadGoals(r: DiscordUploadResult): Goal[] {
  return [{ name: '100 MB Discord attachment, peak RSS increase', measured: r.rssIncreaseMb, unit: ' MB', limit: 16, direction: 'max', on: 'median' }];
}
