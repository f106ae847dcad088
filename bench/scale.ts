/**
 * Benchmark 2: many linked accounts in one bot process. Each size gets a fresh simulator
 * (own process) and a bot child (bench/bot-scale.ts) whose clock is scaled: period, health
 * interval and limiter gaps shrink together by 60 s / period, so a cycle is the
 * production minute compressed. CPU per cycle does not depend on the scale; the share of
 * one core at the real 60 s period is CPU per cycle / 60 s.
 */
import { runBot, startWorld } from './lib/proc.js';
import { fmt, round, summarize, table, type Summary } from './lib/stats.js';

export interface ScaleCase {
  accounts: number;
  periodMs: number;
  cycles: number;
}

export interface ScaleRow {
  accounts: number;
  periodMs: number;
  scale: number;
  cpuPerCycleMs: Summary;
  corePercentAt60s: Summary;
  rssPeakMb: number;
  loopDelayP99Ms: Summary;
  requestsPerCycle: Summary;
  changeCheckMs: { p50: number; p99: number };
  timeliness: Record<string, number>;
  firstCycle: { cpuMs: number; simRequests: number; rssPeakMb: number };
  setupMs: number;
  pollFailures: number;
}

interface CycleOut {
  cpuMs: number;
  rssPeakMb: number;
  loopDelayP99Ms: number;
  simRequests: number;
}
interface BotOut {
  scale: number;
  setupMs: number;
  firstCycle: CycleOut;
  cycles: CycleOut[];
  changeCheckMs: { p50: number; p99: number };
  timeliness: Record<string, number>;
  pollFailures: number;
}

/** Production-equivalent global cap (src/blink/http.ts default). */
const GLOBAL_PER_SECOND = 250;
/** monitorEventLoopDelay reports its 10 ms sampling resolution on top of the real delay. */
const LOOP_RESOLUTION_MS = 10;

export async function runScale(cases: readonly ScaleCase[]): Promise<ScaleRow[]> {
  const rows: ScaleRow[] = [];
  for (const c of cases) {
    const world = await startWorld({ telegram: false });
    try {
      const out = (await runBot(
        'bench/bot-scale.ts',
        { simUrl: world.simUrl, accounts: c.accounts, periodMs: c.periodMs, cycles: c.cycles, globalPerSecond: GLOBAL_PER_SECOND },
        ['--expose-gc'],
      )) as BotOut;
      const cpu = out.cycles.map((x) => x.cpuMs);
      rows.push({
        accounts: c.accounts,
        periodMs: c.periodMs,
        scale: out.scale,
        cpuPerCycleMs: summarize(cpu),
        corePercentAt60s: summarize(cpu.map((ms) => (ms / 60_000) * 100)),
        rssPeakMb: Math.max(out.firstCycle.rssPeakMb, ...out.cycles.map((x) => x.rssPeakMb)),
        loopDelayP99Ms: summarize(out.cycles.map((x) => Math.max(0, x.loopDelayP99Ms - LOOP_RESOLUTION_MS))),
        requestsPerCycle: summarize(out.cycles.map((x) => x.simRequests)),
        changeCheckMs: out.changeCheckMs,
        timeliness: out.timeliness,
        firstCycle: { cpuMs: out.firstCycle.cpuMs, simRequests: out.firstCycle.simRequests, rssPeakMb: out.firstCycle.rssPeakMb },
        setupMs: out.setupMs,
        pollFailures: out.pollFailures,
      });
    } finally {
      await world.stop();
    }
  }
  return rows;
}

export function printScale(rows: readonly ScaleRow[]): string {
  const t = [['accounts', 'period (×)', 'CPU/cycle ms', '% core @60s', 'RSS peak MB', 'loop p99 ms', 'req/cycle', 'gap/period min–max', 'late', 'missed']];
  for (const r of rows) {
    const tl = r.timeliness;
    t.push([
      String(r.accounts),
      `${r.periodMs / 1000}s (${round(r.scale, 1)}×)`,
      fmt(r.cpuPerCycleMs, '', 0),
      fmt(r.corePercentAt60s, '%', 1),
      String(round(r.rssPeakMb, 0)),
      fmt(r.loopDelayP99Ms, '', 1),
      fmt(r.requestsPerCycle, '', 0),
      `${round(tl.gapMin ?? NaN, 3)}–${round(tl.gapMax ?? NaN, 3)}`,
      String(tl.late),
      String(tl.missed),
    ]);
  }
  return `Scale (steady cycles; bot clock scaled by 60 s / period; global cap ${GLOBAL_PER_SECOND}/s scaled alike)\n${table(t)}\n` +
    'gap = time between two polls of one session / period (contract: within ±10 %); late = gaps over 1.1; missed = sessions not polled every cycle';
}
