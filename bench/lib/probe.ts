/**
 * The bot process measuring itself: CPU (process.cpuUsage), RSS sampled for its peak, and
 * event-loop delay (perf_hooks). One probe per measured window.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface ProbeResult {
  wallMs: number;
  cpuMs: number;
  cpuUserMs: number;
  cpuSystemMs: number;
  rssStartMb: number;
  rssPeakMb: number;
  rssEndMb: number;
  heapUsedEndMb: number;
  loopDelayP50Ms: number;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
}

const MB = 1024 * 1024;

export function startProbe(sampleEveryMs = 50) {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const rssStart = process.memoryUsage.rss();
  let rssPeak = rssStart;
  const timer = setInterval(() => {
    const rss = process.memoryUsage.rss();
    if (rss > rssPeak) rssPeak = rss;
  }, sampleEveryMs);
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  return {
    /** Samples now (call at moments of interest, e.g. right after a transfer). */
    sample(): void {
      const rss = process.memoryUsage.rss();
      if (rss > rssPeak) rssPeak = rss;
    },
    stop(): ProbeResult {
      clearInterval(timer);
      loop.disable();
      const cpu = process.cpuUsage(cpu0);
      const rssEnd = process.memoryUsage.rss();
      rssPeak = Math.max(rssPeak, rssEnd);
      return {
        wallMs: performance.now() - t0,
        cpuMs: (cpu.user + cpu.system) / 1000,
        cpuUserMs: cpu.user / 1000,
        cpuSystemMs: cpu.system / 1000,
        rssStartMb: rssStart / MB,
        rssPeakMb: rssPeak / MB,
        rssEndMb: rssEnd / MB,
        heapUsedEndMb: process.memoryUsage().heapUsed / MB,
        loopDelayP50Ms: loop.percentile(50) / 1e6,
        loopDelayP99Ms: loop.percentile(99) / 1e6,
        loopDelayMaxMs: loop.max / 1e6,
      };
    },
  };
}

/** Prints the bot child's result for the parent (bench/lib/proc.ts runBot). */
export function report(result: unknown): void {
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}

export function configArg<T>(): T {
  const raw = process.argv[2];
  if (raw === undefined) throw new Error('missing config argument');
  return JSON.parse(raw) as T;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
