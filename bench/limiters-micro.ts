/**
 * Micro-benchmark behind docs/performance-scaling.md: 30,000 jobs through 10,000 accounts,
 * 16 in flight, per-account limiter + global limiter, CPU per job and heap kept. Modes:
 * gate (AccountQueue + the global Bottleneck start permit, as src/blink/http-limiters.ts),
 * gate-only (no global limiter), bn-keep (a Bottleneck per account, kept, chained to the
 * global one), bn-release (the same, dropped when idle).
 * `npm run build:bench && node --expose-gc dist/bench/limiters-micro.js gate`
 */
import Bottleneck from 'bottleneck';
import { AccountQueue } from '../src/blink/account-queue.js';
const N = 10_000;
const mode = process.argv[2];
const glob = new Bottleneck({ maxConcurrent: 1, minTime: 0 });
const permit = (): Promise<void> => Promise.resolve();
const persistent = new Map<string, Bottleneck>();
const gates = new Map<string, AccountQueue>();
const job = () => new Promise<number>((r) => setImmediate(() => r(1)));
async function one(i: number) {
  const key = `a${i}`;
  if (mode === 'bn-keep' || mode === 'bn-release') {
    let l = persistent.get(key);
    if (!l) {
      l = new Bottleneck({ maxConcurrent: 1, minTime: 250 });
      l.chain(glob);
      persistent.set(key, l);
    }
    await l.schedule({ priority: 7 }, job);
    if (mode === 'bn-release') persistent.delete(key);
  } else {
    let g = gates.get(key);
    if (!g) {
      g = new AccountQueue(1, 250);
      gates.set(key, g);
    }
    await g.run('background', mode === 'gate-only' ? job : () => glob.schedule({ priority: 7 }, permit).then(job));
  }
}
// 16 in flight, like the poll scheduler; 3 rounds of N
global.gc?.();
const h0 = process.memoryUsage().heapUsed;
const c0 = process.cpuUsage();
const t0 = performance.now();
for (let round = 0; round < 3; round++) {
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < N) await one(next++);
    }),
  );
}
const cpu = process.cpuUsage(c0);
const wall = performance.now() - t0;
global.gc?.();
const h1 = process.memoryUsage().heapUsed;
console.log(
  JSON.stringify({
    mode,
    jobs: 3 * N,
    cpuMsPerJob: +((cpu.user + cpu.system) / 1000 / (3 * N)).toFixed(4),
    wallMsPerJob: +(wall / (3 * N)).toFixed(3),
    heapRetainedMb: +((h1 - h0) / 2 ** 20).toFixed(1),
    rssMb: Math.round(process.memoryUsage.rss() / 2 ** 20),
  }),
);
process.exit(0);
