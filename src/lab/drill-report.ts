// The drill report as data: what users saw per location and second, traffic share per region,
// and when each drill event happened. Written as JSON and rendered to HTML.
import { describeDrillEvent } from './drill-plan.js';
import type { DrillLogEntry } from './drill-scheduler.js';
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
}

/** Builds the report from the run's statistics and the drill log. */
export function buildDrillReport(input: DrillReportInput): DrillReport {
  const { stats } = input;
  const regionShare: { second: number; shares: Record<string, number> }[] = [];
  for (let s = 0; s <= stats.lastSecond; s++)
    regionShare.push({ second: s, shares: stats.regionShare(s, 1) });
  return {
    version: 1,
    title: input.title,
    zone: input.zone,
    worldHash: input.worldHash,
    startedAtMs: stats.originMs,
    endedAtMs: input.endedAtMs,
    regions: [...input.regions],
    events: input.log.map((e) => ({
      second: (e.atMs - stats.originMs) / 1000,
      atMs: e.atMs,
      label: describeDrillEvent(e.event),
      ok: e.ok,
      ...(e.error ? { error: e.error } : {}),
    })),
    locations: stats
      .locations()
      .map((name) => ({ name, total: stats.total(name), series: stats.series(name) })),
    regionShare,
  };
}
