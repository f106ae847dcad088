/** Medians, ranges and percentiles for the printed tables and the JSON summary. */
export interface Summary {
  median: number;
  min: number;
  max: number;
  p99: number;
  n: number;
}

export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i] ?? Number.NaN;
}

export function summarize(values: readonly number[]): Summary {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length / 2;
  const median = s.length === 0 ? Number.NaN : s.length % 2 ? (s[Math.floor(mid)] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
  return { median, min: s[0] ?? Number.NaN, max: s[s.length - 1] ?? Number.NaN, p99: quantile(s, 0.99), n: s.length };
}

export function round(x: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** `median (min–max)`; a constant prints once. */
export function fmt(s: Summary, unit = '', digits = 2): string {
  const m = round(s.median, digits);
  if (s.min === s.max) return `${m}${unit}`;
  return `${m}${unit} (${round(s.min, digits)}–${round(s.max, digits)})`;
}

export function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((cell, c) => cell.padEnd(widths[c] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
