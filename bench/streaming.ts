/**
 * Benchmark 4: a 50 MB clip streamed simulator → bot → fake Bot API (bench/bot-alert.ts,
 * streaming mode). The bot child samples its own RSS every 5 ms during the transfer, and
 * copies the same bytes once more as a plain streamed multipart POST for the ratio.
 */
import { runBot, startWorld } from './lib/proc.js';
import type { Goal } from './lib/goals.js';
import { fmt, summarize, type Summary } from './lib/stats.js';

export const CLIP_BYTES = 50_000_000;

export interface StreamingResult {
  rounds: number;
  rssIncreaseMb: Summary;
  firstTransferRssIncreaseMb: number;
  plainRssIncreaseMb: Summary;
  botMBps: Summary;
  plainMBps: Summary;
  ratio: Summary;
  /** Poll check → first video byte at the Bot API (thumbnail, scheduling, request setup). */
  setupMs: Summary;
  /** First → last video byte at the Bot API: the streaming itself. */
  streamMBps: Summary;
}

interface Round {
  rssIncreaseMb: number;
  plainRssIncreaseMb: number;
  botMBps: number;
  plainMBps: number;
  ratio: number;
  setupMs: number;
  transferMs: number;
}

export async function runStreaming(rounds: number): Promise<StreamingResult> {
  const world = await startWorld();
  try {
    const out = (await runBot(
      'bench/bot-alert.ts',
      { simUrl: world.simUrl, tgApiRoot: world.tgApiRoot, tgToken: world.tgToken, mode: 'streaming', rounds, clipBytes: CLIP_BYTES },
      ['--expose-gc'],
    )) as { rounds: Round[] };
    const rs = out.rounds;
    return {
      rounds: rs.length,
      rssIncreaseMb: summarize(rs.map((r) => r.rssIncreaseMb)),
      firstTransferRssIncreaseMb: rs[0]?.rssIncreaseMb ?? Number.NaN,
      plainRssIncreaseMb: summarize(rs.map((r) => r.plainRssIncreaseMb)),
      botMBps: summarize(rs.map((r) => r.botMBps)),
      plainMBps: summarize(rs.map((r) => r.plainMBps)),
      ratio: summarize(rs.map((r) => r.ratio)),
      setupMs: summarize(rs.map((r) => r.setupMs)),
      streamMBps: summarize(rs.map((r) => CLIP_BYTES / 1048.576 / (r.transferMs - r.setupMs))),
    };
  } finally {
    await world.stop();
  }
}

export function printStreaming(r: StreamingResult): string {
  return [
    `Streaming (50 MB clip, ${r.rounds} rounds)`,
    `  peak RSS increase, bot:          ${fmt(r.rssIncreaseMb, ' MB', 1)}  (first transfer in the process ${r.firstTransferRssIncreaseMb.toFixed(1)} MB)`,
    `  peak RSS increase, plain copy:   ${fmt(r.plainRssIncreaseMb, ' MB', 1)}`,
    `  throughput bot / plain copy:     ${fmt(r.botMBps, ' MiB/s', 0)} / ${fmt(r.plainMBps, ' MiB/s', 0)}`,
    `  ratio:                           ${fmt(r.ratio, '', 2)}`,
    `  bot: check → first byte:         ${fmt(r.setupMs, ' ms', 0)}; first → last byte ${fmt(r.streamMBps, ' MiB/s', 0)}`,
  ].join('\n');
}

/** The streaming goals: throughput ≥ 0.9 of a plain copy; peak RSS increase ≤ 8 MB in every round, the first included. */
export function streamingGoals(r: StreamingResult): Goal[] {
  return [
    { name: '50 MB clip, throughput ÷ plain streamed copy', measured: r.ratio, unit: '', limit: 0.9, direction: 'min', on: 'median', digits: 2 },
    { name: '50 MB clip, peak RSS increase (first transfer included)', measured: r.rssIncreaseMb, unit: ' MB', limit: 8, direction: 'max', on: 'max' },
  ];
}
