/**
 * `npm run soak -- --year`: a year of one household in minutes (docs/endurance.md).
 * YEAR_DAYS (default 365), RETENTION_DAYS (default 30), YEAR_POLL_MINUTES (default 15),
 * YEAR_SEED (default 1) to choose. Prints the progress, then the table for the docs.
 * Exit code 1 when an alert was lost or repeated, retention pruned nothing, or the heap after
 * a full GC grew by more than a quarter after the retention window (`npm run soak` passes
 * --expose-gc; without it that column reads n/a).
 */
import os from 'node:os';
import { markdownTable, runYear } from './year-run.js';

export async function yearSoak(): Promise<void> {
  const days = Number(process.env['YEAR_DAYS'] ?? '365');
  const retentionDays = Number(process.env['RETENTION_DAYS'] ?? '30');
  const pollMinutes = Number(process.env['YEAR_POLL_MINUTES'] ?? '15');
  const seed = Number(process.env['YEAR_SEED'] ?? '1');
  const reportDays = [1, 30, 90, 180, 270, 365].filter((d) => d <= days);
  process.stdout.write(`year soak: ${days} days, retention ${retentionDays} days, a poll every ${pollMinutes} simulated minutes, seed ${seed}\n`);
  const result = await runYear({ days, reportDays, retentionDays, pollMinutes, seed, progress: (line) => process.stdout.write(`${line}\n`) });
  const cpus = os.cpus();
  process.stdout.write(
    `\n${markdownTable(result.rows)}\n\n` +
      `clips ${result.clipsCreated} × ${result.chats} chats = ${result.expected} alerts expected; delivered ${result.delivered}; ` +
      `lost ${result.lost}; repeated ${result.repeated}; other messages ${result.otherMessages}; ` +
      `pruned ${JSON.stringify(result.pruned)}; ${result.simulatedPolls} polls in ${result.wallSeconds.toFixed(0)} s wall; ` +
      `Node ${process.version}, ${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, load average ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}\n`,
  );
  const problems: string[] = [];
  if (result.lost > 0) problems.push(`${result.lost} alerts lost`);
  if (result.repeated > 0) problems.push(`${result.repeated} alerts repeated`);
  if (days > retentionDays && result.pruned.clipsSeen === 0) problems.push('retention pruned nothing');
  // Flat after the retention window: the bot's heap after a full GC may not keep growing.
  const settled = result.rows.find((r) => r.day >= retentionDays);
  const last = result.rows.at(-1);
  if (settled?.heapAfterGcBytes && last?.heapAfterGcBytes && last !== settled && last.heapAfterGcBytes > settled.heapAfterGcBytes * 1.25 + 2 * 2 ** 20) {
    problems.push(
      `heap after GC grew from ${(settled.heapAfterGcBytes / 2 ** 20).toFixed(1)} MB (day ${settled.day}) to ${(last.heapAfterGcBytes / 2 ** 20).toFixed(1)} MB`,
    );
  }
  for (const p of problems) process.stdout.write(`FAIL: ${p}\n`);
  process.exitCode = problems.length > 0 ? 1 : 0;
}
