// `meridian up`'s dashboard: the GSLB's state (its admin API), the lab's users per location
// with the lab's round trips as each one's physical bound, and the drills as markers; drain
// and undrain from the page go to the GSLB admin API.
import {
  type FeedSample,
  gslbStatePart,
  type LocationWindow,
  offersDrainPreview,
} from '../../dashboard/index.js';
import { type DashboardServer, startDashboardServer } from '../../dashboard/io/index.js';
import { loadAwsRttTable } from '../../geo/io/index.js';
import type { World } from '../../world/index.js';
import { describeDrillEvent } from '../drill-plan.js';
import { type LabRtts, resolveLabRtts } from '../lab-rtts.js';
import { labWorkloadOf } from '../lab-workload.js';
import type { LabWorld } from './lab-world.js';

export interface LabDashboardOptions {
  readonly lab: LabWorld;
  /** On 127.0.0.1; 0 picks a free port. */
  readonly port: number;
  /** The GSLB admin API, once it is up. */
  readonly adminUrl: () => string | undefined;
  /** The users' requests (fed from `onRecord`). */
  readonly requests: LocationWindow;
}

/** Starts the dashboard listener of a running lab. */
export function startLabDashboard(o: LabDashboardOptions): Promise<DashboardServer> {
  let rtts: { hash: string; rtts: LabRtts } | null = null;
  const rttsOf = (world: World): LabRtts => {
    if (rtts?.hash !== world.hash)
      rtts = { hash: world.hash, rtts: resolveLabRtts(world, loadAwsRttTable()) };
    return rtts.rtts;
  };
  const sample = async (): Promise<FeedSample> => {
    const base = o.adminUrl();
    if (!base) throw new Error('the GSLB admin API is not up yet');
    const res = await fetch(`${base}/v1/state`, { signal: AbortSignal.timeout(2_000) });
    if (!res.ok) throw new Error(`GET /v1/state: ${res.status}`);
    const state: unknown = await res.json();
    const world = o.lab.world;
    const table = rttsOf(world);
    const links = labWorkloadOf(world)?.hostname;
    const now = Date.now();
    return {
      atMs: now,
      ...gslbStatePart(state),
      answers: null, // the users' requests give the share
      drainPreview: offersDrainPreview(state),
      regions: world.regions.map((r) => ({
        name: r.name,
        lat: r.location.lat,
        lon: r.location.lon,
        isHome: r.isHome,
      })),
      networks: world.networks.map((n) => ({ name: n.name, lat: n.location.lat, lon: n.location.lon })),
      hostnames: world.hostnames.map((h) => h.fqdn),
      locations: o.requests.samples(
        now,
        (location, region) => table.user(location, region)?.rttMs,
        links?.candidates ?? world.regions.map((r) => r.name),
      ),
      drills: o.lab.drillLog.map((e) => ({
        atMs: e.atMs,
        label: `${describeDrillEvent(e.event)}${e.ok ? '' : ` (failed: ${e.error})`}`,
      })),
    };
  };
  return startDashboardServer({
    host: '127.0.0.1',
    port: o.port,
    upstream: o.adminUrl,
    server: { mode: 'lab', controls: 'open' },
    sample,
  });
}
