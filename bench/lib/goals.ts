/**
 * The goals `npm run bench` checks (issue "Performance and endurance, round 2"): each
 * printed with its measured median and min–max and met / not met. A goal judged on the
 * worst round says so (`on: 'max'`); the others on the median.
 */
import { fmt, type Summary } from './stats.js';

export interface Goal {
  name: string;
  measured: Summary;
  unit: string;
  /** `at most` or `at least` this value. */
  limit: number;
  direction: 'max' | 'min';
  /** Which figure must hold the limit. */
  on: 'median' | 'max';
  digits?: number;
}

export interface GoalResult {
  name: string;
  measured: Summary;
  limit: string;
  met: boolean;
}

export function judge(g: Goal): GoalResult {
  const value = g.on === 'max' ? (g.direction === 'max' ? g.measured.max : g.measured.min) : g.measured.median;
  const met = Number.isFinite(value) && (g.direction === 'max' ? value <= g.limit : value >= g.limit);
  return {
    name: g.name,
    measured: g.measured,
    limit: `${g.direction === 'max' ? '≤' : '≥'} ${g.limit}${g.unit}${g.on === 'max' ? ' (every round)' : ' (median)'}`,
    met,
  };
}

export function printGoals(goals: readonly Goal[]): { text: string; results: GoalResult[] } {
  const results = goals.map(judge);
  const lines = goals.map((g, i) => {
    const r = results[i];
    return `  ${r?.met ? 'met    ' : 'NOT met'}  ${g.name}: ${fmt(g.measured, g.unit, g.digits ?? 1)}  (goal ${r?.limit})`;
  });
  return { text: `Goals (median (min–max))\n${lines.join('\n')}`, results };
}

/** A single figure as a summary (min = max = median). */
export const one = (x: number): Summary => ({ median: x, min: x, max: x, p99: x, n: 1 });
