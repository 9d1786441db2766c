// Whether a health table describes a world's regions: the pairing rule of a steering snapshot.
import type { World } from '../world/index.js';
import type { HealthTable } from './health-table.js';

/**
 * True when `table.regions[i]` is `world.regions[i]` for every i (same count, same names, same
 * order): steering reads health by region index, so only such a pair may be compiled together.
 */
export function tableMatchesWorld(table: HealthTable, world: World): boolean {
  const regions = world.regions;
  if (table.regions.length !== regions.length) return false;
  for (let i = 0; i < regions.length; i++) if (table.regions[i]?.name !== regions[i]!.name) return false;
  return true;
}
