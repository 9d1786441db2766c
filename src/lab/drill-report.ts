// The drill report as data: what users saw per location and second, traffic share per region,
// and when each drill event happened. Written as JSON and rendered to HTML.
import { describeDrillEvent } from './drill-plan.js';
import type { DrillLogEntry } from './drill-scheduler.js';
import { type OptimumInput, type OptimumSecond, optimumSeries } from './optimum-share.js';
import type { LocationSecond, StatsAggregator } from './stats-aggregator.js';

export interface DrillReport {
  readonly version: 1;
  readonly title: string;
  readonly zone: string;
  readonly worldHash: string;
  readonly startedAtMs: number;
  readonly endedAtMs: number;
  readonly regions: readonly string[];
  readonly events: readonly {
    readonly second: number;
    readonly atMs: number;
    readonly label: string;
    readonly ok: boolean;
    readonly error?: string;
  }[];
  readonly locations: readonly {
    readonly name: string;
    readonly total: LocationSecond;
    readonly series: readonly LocationSecond[];
    /** Per second, how close users were to their truly best region (when the lab knows it). */
    readonly optimum?: readonly OptimumSecond[];
  }[];
  /** Per second, the share of served requests per region (all locations together). */
  readonly regionShare: readonly {
    readonly second: number;
    readonly shares: Readonly<Record<string, number>>;
  }[];
}

export interface DrillReportInput {
  readonly title: string;
  readonly zone: string;
  readonly worldHash: string;
  readonly regions: readonly string[];
  readonly stats: StatsAggregator;
  readonly log: readonly DrillLogEntry[];
  readonly endedAtMs: number;
  /** Start of the report's window (default: the statistics' origin); seconds count from here. */
  readonly fromMs?: number;
  /** The lab's true round trips: adds each location's optimum series (drill events from `log`). */
  readonly optimum?: Omit<OptimumInput, 'events'>;
}

/**
 * Builds the report from the run's statistics and the drill log, over the window
 * `fromMs … endedAtMs` (whole seconds), with seconds and event times counted from its start.
 */
export function buildDrillReport(input: DrillReportInput): DrillReport {
  const { stats } = input;
  const fromMs = input.fromMs ?? stats.originMs;
  const first = Math.max(0, stats.secondOf(fromMs));
  const last = Math.min(stats.lastSecond, stats.secondOf(input.endedAtMs));
  const startMs = stats.originMs + first * 1000;
  const span = Math.max(0, last - first + 1);
  const regionShare: { second: number; shares: Record<string, number> }[] = [];
  for (let s = first; s <= last; s++)
    regionShare.push({ second: s - first, shares: stats.regionShare(s, 1) });
  return {
    version: 1,
    title: input.title,
    zone: input.zone,
    worldHash: input.worldHash,
    startedAtMs: startMs,
    endedAtMs: input.endedAtMs,
    regions: [...input.regions],
    events: input.log
      .filter((e) => e.atMs >= startMs && e.atMs <= input.endedAtMs)
      .map((e) => ({
        second: (e.atMs - startMs) / 1000,
        atMs: e.atMs,
        label: describeDrillEvent(e.event),
        ok: e.ok,
        ...(e.error ? { error: e.error } : {}),
      })),
    locations: stats.locations().map((name) => {
      const series = stats
        .series(name)
        .filter((s) => s.second >= first && s.second <= last)
        .map((s) => ({ ...s, second: s.second - first }));
      const optimum = input.optimum
        ? optimumSeries(
            { ...input.optimum, events: input.log },
            name,
            series.map((s) => ({
              second: s.second,
              atMs: startMs + s.second * 1000 + 500,
              regions: s.regions,
            })),
          )
        : undefined;
      return {
        name,
        total: { ...stats.window(name, last, span), second: span },
        series,
        ...(optimum ? { optimum } : {}),
      };
    }),
    regionShare,
  };
}
