/**
 * Benchmark 3: the alert path. Bot child bench/bot-alert.ts (latency mode) with the real
 * alert service and Telegram sender; simulator and fake Bot API in their own processes.
 * Measured: change check answered → first byte of the video at the fake server, and
 * poll start → last byte for a 5 MB clip.
 */
import { runBot, startWorld } from './lib/proc.js';
import { fmt, summarize, type Summary } from './lib/stats.js';

export interface AlertPathResult {
  firstByteMs: Summary;
  pollToFirstByteMs: Summary;
  e2e5mbMs: Summary;
  e2e5mbFromCheckMs: Summary;
}

export async function runAlertPath(rounds: number): Promise<AlertPathResult> {
  const world = await startWorld();
  try {
    const out = (await runBot('bench/bot-alert.ts', {
      simUrl: world.simUrl,
      tgApiRoot: world.tgApiRoot,
      tgToken: world.tgToken,
      mode: 'latency',
      rounds,
      clipBytes: 0,
    })) as Record<string, number[]>;
    return {
      firstByteMs: summarize(out.firstByteMs ?? []),
      pollToFirstByteMs: summarize(out.pollToFirstByteMs ?? []),
      e2e5mbMs: summarize(out.e2e5mbMs ?? []),
      e2e5mbFromCheckMs: summarize(out.e2e5mbFromCheckMs ?? []),
    };
  } finally {
    await world.stop();
  }
}

export function printAlertPath(r: AlertPathResult): string {
  return [
    `Alert path (${r.firstByteMs.n} clips of 64 KiB, ${r.e2e5mbMs.n} of 5 MiB)`,
    `  change check answered → first video byte at the fake Bot API: ${fmt(r.firstByteMs, ' ms', 1)}  (goal < 50 ms median)`,
    `  poll start → first video byte:                               ${fmt(r.pollToFirstByteMs, ' ms', 1)}`,
    `  5 MiB clip, poll start → last byte at the fake Bot API:       ${fmt(r.e2e5mbMs, ' ms', 1)}`,
    `  5 MiB clip, change check answered → last byte:               ${fmt(r.e2e5mbFromCheckMs, ' ms', 1)}`,
  ].join('\n');
}
