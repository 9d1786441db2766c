// How close users were to their truly best region, second by second: which region was best by
// the lab's true round trips (as planned, plus any latency drill in force, among regions not
// down, paused or drained at that time), the share of requests it served, and the requests'
// mean excess round trip over it. What the latency drill's report plots.
import type { DrillEvent } from './drill-plan.js';

/** One second of one location. */
export interface OptimumSecond {
  /** Seconds from the report's start (as the report's other series). */
  readonly second: number;
  /** The best region then, or null when no candidate was up. */
  readonly optimum: string | null;
  /** Served requests that went to the optimum / all served requests; null with none. */
  readonly atOptimumShare: number | null;
  /** Mean of (true RTT of the region that served − true RTT of the optimum), in ms. */
  readonly excessMs: number | null;
}

export interface OptimumInput {
  /** Regions the hostname can answer. */
  readonly candidates: readonly string[];
  /** The planned round trip from a location to a region (undefined: no path). */
  readonly plannedRttMs: (location: string, region: string) => number | undefined;
  /** Drill events as they happened, in time order. */
  readonly events: readonly { readonly atMs: number; readonly event: DrillEvent }[];
}

/** The true RTT and the unavailable regions at wall time `atMs`. */
function stateAt(events: OptimumInput['events'], atMs: number) {
  const added = new Map<string, number>(); // `${network ?? '*'}\0${region}` → ms
  const out = new Set<string>();
  for (const { atMs: t, event: e } of events) {
    if (t > atMs) break;
    switch (e.kind) {
      case 'latency-add':
        added.set(`${e.network ?? '*'}\u0000${e.region}`, e.addMs);
        break;
      case 'latency-clear':
        added.delete(`${e.network ?? '*'}\u0000${e.region}`);
        break;
      case 'region-down':
      case 'region-pause':
      case 'drain':
        out.add(e.region);
        break;
      case 'region-up':
      case 'region-resume':
      case 'undrain':
        out.delete(e.region);
        break;
      default:
        break;
    }
  }
  return { added, out };
}

/**
 * The optimum series of `location` for `seconds` (each `{ second, atMs, regions }`, `atMs`
 * the middle of that second and `regions` the requests served per region).
 */
export function optimumSeries(
  input: OptimumInput,
  location: string,
  seconds: readonly { second: number; atMs: number; regions: Readonly<Record<string, number>> }[],
): OptimumSecond[] {
  return seconds.map(({ second, atMs, regions }) => {
    const { added, out } = stateAt(input.events, atMs);
    const trueRtt = (region: string): number | undefined => {
      const planned = input.plannedRttMs(location, region);
      if (planned === undefined) return undefined;
      return planned + (added.get(`${location}\u0000${region}`) ?? 0) + (added.get(`*\u0000${region}`) ?? 0);
    };
    let optimum: string | null = null;
    let best = Number.POSITIVE_INFINITY;
    for (const r of input.candidates) {
      if (out.has(r)) continue;
      const rtt = trueRtt(r);
      if (rtt !== undefined && rtt < best) {
        best = rtt;
        optimum = r;
      }
    }
    let served = 0;
    let atOptimum = 0;
    let excess = 0;
    for (const [region, n] of Object.entries(regions)) {
      const rtt = trueRtt(region);
      if (rtt === undefined || n <= 0) continue;
      served += n;
      if (region === optimum) atOptimum += n;
      excess += n * Math.max(0, rtt - best);
    }
    return {
      second,
      optimum,
      atOptimumShare: served === 0 || optimum === null ? null : atOptimum / served,
      excessMs: served === 0 || optimum === null ? null : Math.round((excess / served) * 10) / 10,
    };
  });
}
