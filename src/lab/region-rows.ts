// Region rows of the live view: what the lab did to each region's process, else what the
// GSLB's health table says, with its traffic share and outbox backlog.
import type { HealthTable } from '../health-table/index.js';
import type { World } from '../world/index.js';
import type { RegionHealthLabel, RegionRow } from './live-view.js';

export interface RegionRowsInput {
  readonly world: Pick<World, 'regions'>;
  /** The GSLB's latest health table, when known. */
  readonly health?: HealthTable;
  /** Process state per region name (from the supervisor). */
  readonly processes?: Readonly<Record<string, 'running' | 'paused' | 'exited'>>;
  /** Share of served requests per region, 0 … 1. */
  readonly share: Readonly<Record<string, number>>;
  /** Outbox backlog per region, when reported. */
  readonly backlog?: Readonly<Record<string, number>>;
}

/** One row per world region, in world order. A stopped or paused process wins over health. */
export function regionRows(input: RegionRowsInput): RegionRow[] {
  return input.world.regions.map((r) => {
    const proc = input.processes?.[r.name];
    const h = input.health?.regions.find((x) => x.name === r.name);
    let health: RegionHealthLabel;
    if (proc === 'exited') health = 'stopped';
    else if (proc === 'paused') health = 'paused';
    else if (!h) health = 'unknown';
    else if (h.drained) health = 'drained';
    else health = h.state;
    return {
      name: r.name,
      isHome: r.isHome,
      health,
      trafficShare: input.share[r.name] ?? 0,
      outboxBacklog: input.backlog?.[r.name] ?? null,
    };
  });
}
