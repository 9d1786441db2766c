// Which latency links a world needs and what each plays out: users → each region (HTTP),
// users → the GSLB (DNS), and each region → home (the peering link).
import type { World } from '../world/index.js';
import type { LabRtts, RttSource } from './lab-rtts.js';

export interface PlannedLink {
  /** Stable id: `user:london→eu-west-2`, `dns:london`, `home:eu-west-2→us-west-2:8080`. */
  readonly id: string;
  readonly kind: 'user' | 'dns' | 'home';
  readonly protocol: 'tcp' | 'udp';
  /** Network name (user, dns) or region name (home). */
  readonly from: string;
  /** Region name, or `gslb`. */
  readonly to: string;
  readonly rttMs: number;
  readonly source: RttSource;
  readonly target: { readonly host: string; readonly port: number };
  /**
   * Set-up delay the relay applies. User links leave it to the simulated user's dialer (0) so
   * the user can time it; region → home links charge it in the relay (one RTT).
   */
  readonly connectDelayMs: number;
}

export interface LinkPlanOptions {
  /** Where the GSLB listens. */
  readonly gslb: { readonly host: string; readonly port: number };
  /** Home's ports regions talk to (config endpoint, ingest); default `[home.port]`. */
  readonly homePorts?: readonly number[];
  /** Only these networks get user and DNS links (default: those with `lab.users`). */
  readonly networks?: readonly string[];
}

/**
 * Plans every link. DNS from a network is delayed by the RTT to its nearest region, as if the
 * GSLB answered from every region's edge (an anycast authoritative service).
 */
export function planLatencyLinks(world: World, rtts: LabRtts, options: LinkPlanOptions): PlannedLink[] {
  const nets = options.networks ?? Object.keys(world.lab.users);
  const plan: PlannedLink[] = [];
  for (const net of nets) {
    const nearest = world.regions
      .map((r) => rtts.user(net, r.name))
      .filter((e) => e !== undefined)
      .sort((a, b) => a.rttMs - b.rttMs)[0];
    if (!nearest) continue;
    plan.push({
      id: `dns:${net}`,
      kind: 'dns',
      protocol: 'udp',
      from: net,
      to: 'gslb',
      rttMs: nearest.rttMs,
      source: nearest.source,
      target: options.gslb,
      connectDelayMs: 0,
    });
    for (const r of world.regions) {
      const e = rtts.user(net, r.name)!;
      plan.push({
        id: `user:${net}→${r.name}`,
        kind: 'user',
        protocol: 'tcp',
        from: net,
        to: r.name,
        rttMs: e.rttMs,
        source: e.source,
        target: { host: r.address, port: r.port },
        connectDelayMs: 0,
      });
    }
  }
  const home = world.regions.find((r) => r.isHome);
  if (home) {
    for (const r of world.regions) {
      if (r.isHome) continue;
      const e = rtts.home(r.name)!;
      for (const port of options.homePorts ?? [home.port]) {
        plan.push({
          id: `home:${r.name}→${home.name}:${port}`,
          kind: 'home',
          protocol: 'tcp',
          from: r.name,
          to: home.name,
          rttMs: e.rttMs,
          source: e.source,
          target: { host: home.address, port },
          connectDelayMs: e.rttMs,
        });
      }
    }
  }
  return plan;
}
