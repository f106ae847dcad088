/**
 * Benchmark 2: many linked accounts in one bot process. Each size gets a fresh simulator
 * (own process) and a bot child (bench/bot-scale.ts) whose clock is scaled: period, health
 * interval and limiter gaps shrink together by 60 s / period, so a cycle is the
 * production minute compressed. CPU per cycle does not depend on the scale; the share of
 * one core at the real 60 s period is CPU per cycle / 60 s.
 */
import { runBot, startWorld } from './lib/proc.js';
import { one, type Goal } from './lib/goals.js';
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
  /** RSS peak of each measured window (the first cycle included). */
  rssPeakMbEach: Summary;
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
        rssPeakMbEach: summarize([out.firstCycle.rssPeakMb, ...out.cycles.map((x) => x.rssPeakMb)]),
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
  const t = [
    ['accounts', 'period (×)', 'CPU/cycle ms', '% core @60s', 'RSS peak MB (per cycle)', 'loop p99 ms', 'req/cycle', 'gap/period min–max', 'late', 'missed'],
  ];
  for (const r of rows) {
    const tl = r.timeliness;
    t.push([
      String(r.accounts),
      `${r.periodMs / 1000}s (${round(r.scale, 1)}×)`,
      fmt(r.cpuPerCycleMs, '', 0),
      fmt(r.corePercentAt60s, '%', 1),
      fmt(r.rssPeakMbEach, '', 0),
      fmt(r.loopDelayP99Ms, '', 1),
      fmt(r.requestsPerCycle, '', 0),
      `${round(tl.gapMin ?? NaN, 3)}–${round(tl.gapMax ?? NaN, 3)}`,
      String(tl.late),
      String(tl.missed),
    ]);
  }
  return (
    `Scale (steady cycles; bot clock scaled by 60 s / period; global cap ${GLOBAL_PER_SECOND}/s scaled alike)\n${table(t)}\n` +
    'gap = time between two polls of one session / period (contract: within ±10 %); late = gaps over 1.1; missed = sessions not polled every cycle'
  );
}

/** The scale goals: 10,000 accounts ≤ 12 % of one core, ≤ 200 MB, every poll in its period; 1,000 ≤ 120 MB. */
export function scaleGoals(rows: readonly ScaleRow[]): Goal[] {
  const goals: Goal[] = [];
  for (const r of rows) {
    const n = r.accounts.toLocaleString('en');
    if (r.accounts === 10_000) {
      goals.push({ name: `${n} accounts, share of one core at 60 s`, measured: r.corePercentAt60s, unit: ' %', limit: 12, direction: 'max', on: 'median' });
      goals.push({ name: `${n} accounts, RSS peak`, measured: r.rssPeakMbEach, unit: ' MB', limit: 200, direction: 'max', on: 'max', digits: 0 });
    }
    if (r.accounts === 1_000)
      goals.push({ name: `${n} accounts, RSS peak`, measured: r.rssPeakMbEach, unit: ' MB', limit: 120, direction: 'max', on: 'max', digits: 0 });
    if (r.accounts === 10_000 || r.accounts === 1_000) {
      const t = r.timeliness;
      const gaps: Summary = { median: t.gapMedian ?? NaN, min: t.gapMin ?? NaN, max: t.gapMax ?? NaN, p99: t.gapP99 ?? NaN, n: t.gaps ?? 0 };
      goals.push({
        name: `${n} accounts, poll gap ÷ period (every poll within its period)`,
        measured: gaps,
        unit: '',
        limit: 1.1,
        direction: 'max',
        on: 'max',
        digits: 3,
      });
      goals.push({
        name: `${n} accounts, sessions that missed a cycle`,
        measured: one(t.missed ?? NaN),
        unit: '',
        limit: 0,
        direction: 'max',
        on: 'max',
        digits: 0,
      });
    }
  }
  return goals;
}
