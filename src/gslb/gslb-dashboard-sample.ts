// What `meridian dns` shows on its dashboard: its world's places, its `/v1/state`, and where
// the steering sends each network now (the what-if: this server counts no traffic per place).
import { type FeedSample, gslbStatePart, offersDrainPreview } from '../dashboard/index.js';
import type { Gslb } from './gslb.js';

/** Networks whose steering the dashboard shows (the map cannot show more anyway). */
export const DASHBOARD_MAX_NETWORKS = 200;

/** One dashboard sample of a started GSLB; the steering per network only while a page watches. */
export function gslbDashboardSample(gslb: Gslb, nowMs: number, watched = true): FeedSample {
  const world = gslb.world;
  const state = gslb.state();
  const networks = world.networks.slice(0, DASHBOARD_MAX_NETWORKS);
  const steered = world.hostnames.find((h) => h.policy !== 'home') ?? world.hostnames[0];
  return {
    atMs: nowMs,
    ...gslbStatePart(state),
    drainPreview: offersDrainPreview(state),
    regions: world.regions.map((r) => ({
      name: r.name,
      lat: r.location.lat,
      lon: r.location.lon,
      isHome: r.isHome,
    })),
    networks: networks.map((n) => ({ name: n.name, lat: n.location.lat, lon: n.location.lon })),
    hostnames: world.hostnames.map((h) => h.fqdn),
    steering:
      steered && watched
        ? networks.map((n) => {
            try {
              return { network: n.name, region: gslb.explain(steered.fqdn, n.name).regions[0] ?? null };
            } catch {
              return { network: n.name, region: null };
            }
          })
        : [],
  };
}
