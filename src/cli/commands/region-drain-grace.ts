// The default drain grace of `meridian region`: how long /healthz stays red on SIGTERM before the
// server stops, so that no client is still sent to it when it goes.
import { deadRegionAnsweredMs } from '../../health-table/index.js';
import { answerTtlSeconds } from '../../policy/index.js';
import type { World } from '../../world/index.js';

/**
 * `deadRegionAnsweredMs` of the region's probe settings and the TTL the answers of the
 * workload's hostname (default `links`) are served with: the GSLB sees the red /healthz within
 * the detection window, then resolvers may hold the last answer for one TTL. 0 for a region the
 * world does not have.
 */
export function regionDrainGraceMs(world: World, regionName: string, workload = 'links'): number {
  const region = world.regions.find((r) => r.name === regionName);
  if (!region) return 0;
  const hostname = world.hostnames.find((h) => h.workload === workload);
  return deadRegionAnsweredMs(region.health, hostname ? answerTtlSeconds(world, hostname) : 0);
}
