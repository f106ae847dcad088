/**
 * `npm run soak`: the long crash test (F28). Defaults to 200 kills with a random seed;
 * `SOAK_KILLS=50 SOAK_SEED=7 npm run soak` to choose. Exit code 1 on any failure.
 * KEEP_SOAK_LOGS=1 keeps the database and every run's log for a look afterwards.
 * `npm run soak -- --year` runs the year of one household instead (year-soak.ts).
 */
import { runCrashSoak } from './crash-run.js';
import { yearSoak } from './year-soak.js';

if (process.argv.includes('--year')) await yearSoak();
else await crashSoak();

async function crashSoak(): Promise<void> {
  const kills = Number(process.env['SOAK_KILLS'] ?? '200');
  const seed = Number(process.env['SOAK_SEED'] ?? String(Date.now() % 1_000_000));
  process.stdout.write(`crash soak: ${kills} kills, seed ${seed}\n`);
  const started = Date.now();
  const result = await runCrashSoak({ kills, seed, progress: (line) => process.stdout.write(`${line}\n`) });
  const problems: string[] = [];
  if (result.integrity !== 'ok') problems.push(`integrity_check: ${result.integrity}`);
  if (result.foreignKeyProblems > 0) problems.push(`${result.foreignKeyProblems} foreign key problems`);
  if (result.lost.length > 0) problems.push(`${result.lost.length} alerts lost: ${JSON.stringify(result.lost.slice(0, 10))}`);
  if (result.duplicates > result.kills) problems.push(`${result.duplicates} duplicates > ${result.kills} kills`);
  if (!result.sessionIntact) problems.push('the session did not survive');
  process.stdout.write(
    `kills survived ${result.kills}; clips ${result.clipsCreated} × ${result.chats} chats; delivered ${result.delivered}; lost ${result.lost.length}; ` +
      `duplicates ${result.duplicates}; summarised ${result.summarised}; commands ${result.commandsSent}; outbox ${JSON.stringify(result.outbox)}; ` +
      `${Math.round((Date.now() - started) / 1000)} s (seed ${seed})\n`,
  );
  for (const p of problems) process.stdout.write(`FAIL: ${p}\n`);
  process.exitCode = problems.length > 0 ? 1 : 0;
}
