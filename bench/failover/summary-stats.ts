// Order statistics for a handful of trial durations (nearest-rank percentiles).

export interface SummaryStats {
  readonly n: number;
  readonly min: number;
  readonly p50: number;
  readonly p90: number;
  readonly max: number;
}

/** Nearest-rank summary of `values` (seconds in, seconds out); NaN fields when empty. */
export function summaryStats(values: readonly number[]): SummaryStats {
  const s = [...values].sort((a, b) => a - b);
  const rank = (p: number) => s[Math.max(0, Math.ceil((p / 100) * s.length) - 1)] ?? Number.NaN;
  return { n: s.length, min: s[0] ?? Number.NaN, p50: rank(50), p90: rank(90), max: s.at(-1) ?? Number.NaN };
}
