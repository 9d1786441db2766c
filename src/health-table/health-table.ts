// The immutable health table: what a health source (the monitor, the fleet) publishes and
// steering reads. Steering never waits for a probe; it only reads the latest table.

/** `unknown` until the first probe result; treated as not serving. */
export type RegionState = 'unknown' | 'up' | 'down';

export interface RegionHealth {
  readonly name: string;
  /** The region's index in `world.regions`. */
  readonly index: number;
  readonly state: RegionState;
  /** Operator override: a drained region gets no new answers but keeps being probed. */
  readonly drained: boolean;
  /** `state === 'up' && !drained`: the only thing the answer path looks at. */
  readonly serving: boolean;
  /** Wall time (ms) of the last completed probe, or null before the first one. */
  readonly lastProbeAtMs: number | null;
  /** Wall time (ms) of the last state change, or null if it never changed. */
  readonly lastChangeAtMs: number | null;
  /** Why the last probe failed, or null. */
  readonly lastError: string | null;
}

export interface HealthTable {
  /** Increases by one on every published change; lets consumers cache per version. */
  readonly version: number;
  /** Wall time (ms) this table was published. */
  readonly publishedAtMs: number;
  /** One entry per world region, in world order (index = Region.index). */
  readonly regions: readonly RegionHealth[];
}

/** A table in which every region is in `state` (tests, offline what-if, cold start). */
export function uniformHealthTable(
  regionNames: readonly string[],
  state: RegionState,
  nowMs = 0,
): HealthTable {
  return Object.freeze({
    version: 0,
    publishedAtMs: nowMs,
    regions: Object.freeze(
      regionNames.map((name, index) =>
        Object.freeze({
          name,
          index,
          state,
          drained: false,
          serving: state === 'up',
          lastProbeAtMs: null,
          lastChangeAtMs: null,
          lastError: null,
        }),
      ),
    ),
  });
}
