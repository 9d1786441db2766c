// The live terminal view of a running world, as a pure function from state to one frame.
import type { StatsAggregator } from './stats-aggregator.js';

export interface LocationRow {
  readonly name: string;
  /** The region that served most of the window's requests, or null. */
  readonly servingRegion: string | null;
  readonly rps: number;
  readonly p50Ms: number | null;
  readonly p99Ms: number | null;
  readonly errors: number;
  readonly requests: number;
}

export type RegionHealthLabel = 'up' | 'down' | 'unknown' | 'paused' | 'drained' | 'stopped';

export interface RegionRow {
  readonly name: string;
  readonly isHome: boolean;
  readonly health: RegionHealthLabel;
  /** Share of served requests in the window, 0 … 1. */
  readonly trafficShare: number;
  /** Events waiting in the region's outbox, or null when unknown. */
  readonly outboxBacklog: number | null;
}

export interface LiveViewState {
  readonly title: string;
  readonly elapsedSeconds: number;
  readonly windowSeconds: number;
  readonly locations: readonly LocationRow[];
  readonly regions: readonly RegionRow[];
  /** Most recent drill events, newest last (already described, e.g. `12s region-down x`). */
  readonly events: readonly string[];
}

/** Location rows for the last `windowSeconds` whole seconds before `endSecond`. */
export function locationRows(
  stats: StatsAggregator,
  endSecond: number,
  windowSeconds: number,
): LocationRow[] {
  return stats.locations().map((name) => {
    const w = stats.window(name, endSecond, windowSeconds);
    const top = Object.entries(w.regions).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
    return {
      name,
      servingRegion: top ? top[0] : null,
      rps: w.requests / windowSeconds,
      p50Ms: w.p50Ms,
      p99Ms: w.p99Ms,
      errors: w.errors,
      requests: w.requests,
    };
  });
}

const ms = (v: number | null): string =>
  v === null ? '–' : v < 10 ? `${v.toFixed(1)} ms` : `${Math.round(v)} ms`;

function table(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  rightAlign: ReadonlySet<number>,
): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (rightAlign.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

/** One frame of the live view: a header, a table per location, a table per region, events. */
export function renderLiveView(s: LiveViewState): string {
  const out: string[] = [];
  out.push(`${s.title} · ${formatElapsed(s.elapsedSeconds)} · last ${s.windowSeconds}s`);
  out.push('');
  out.push(
    ...table(
      ['location', 'served by', 'req/s', 'p50', 'p99', 'errors'],
      s.locations.map((l) => [
        l.name,
        l.servingRegion ?? '–',
        l.rps.toFixed(1),
        ms(l.p50Ms),
        ms(l.p99Ms),
        l.errors === 0 ? '0' : `${l.errors} (${((100 * l.errors) / Math.max(1, l.requests)).toFixed(0)}%)`,
      ]),
      new Set([2, 3, 4, 5]),
    ),
  );
  out.push('');
  out.push(
    ...table(
      ['region', 'health', 'traffic', 'outbox'],
      s.regions.map((r) => [
        r.isHome ? `${r.name} (home)` : r.name,
        r.health,
        `${(100 * r.trafficShare).toFixed(0)}%`,
        r.outboxBacklog === null ? '–' : String(r.outboxBacklog),
      ]),
      new Set([2, 3]),
    ),
  );
  if (s.events.length > 0) {
    out.push('');
    out.push('drills:');
    for (const e of s.events) out.push(`  ${e}`);
  }
  return `${out.join('\n')}\n`;
}

function formatElapsed(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const sec = Math.floor(seconds % 60);
  return `${m}:${String(sec).padStart(2, '0')}`;
}

/**
 * The view as one plain line (for a pipe or a log file): elapsed time, then each location with
 * the region that served it and its p50, then the error total and each region's health.
 */
export function renderLiveViewLine(s: LiveViewState): string {
  const errors = s.locations.reduce((n, l) => n + l.errors, 0);
  const locations = s.locations.map((l) => `${l.name}→${l.servingRegion ?? '–'} ${ms(l.p50Ms)}`).join(', ');
  const regions = s.regions
    .map((r) => `${r.name} ${r.health} ${(100 * r.trafficShare).toFixed(0)}%`)
    .join(', ');
  return `${formatElapsed(s.elapsedSeconds)} ${locations} · errors ${errors} · ${regions}`;
}
