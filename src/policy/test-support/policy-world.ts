// A small world for policy tests, and health tables with chosen regions down or drained.
import type { HealthTable } from '../../health-table/index.js';
import { uniformHealthTable } from '../../health-table/index.js';
import { lintWorldText, type World } from '../../world/index.js';

export const POLICY_WORLD_YAML = `zone: example.test
home: us-west-2
regions:
  us-west-2: { cidr: 10.10.0.0/16, address: 127.0.1.1 }
  eu-west-2: { cidr: 10.20.0.0/16, address: 127.0.2.1 }
  af-south-1: { cidr: 10.30.0.0/16, address: 127.0.3.1 }
hostnames:
  links: { workload: links, policy: latency, ttlSeconds: 30, answers: 1 }
  links2: { workload: links, policy: latency, ttlSeconds: 30, answers: 2 }
  links-fo: { workload: links, policy: failover, order: [af-south-1, us-west-2, eu-west-2] }
  links-all: { workload: links, policy: latency, whenAllDown: all, answers: 3 }
  links-none: { workload: links, policy: latency, whenAllDown: none }
  roll: { workload: links, policy: latency, rollout: { region: af-south-1, percent: 1 } }
  api: { workload: relay, policy: home, ttlSeconds: 120 }
services:
  links: { in: all }
  relay: { in: home }
health: { path: /healthz, intervalMs: 2000, timeoutMs: 1000, rise: 2, fall: 3 }
networks:
  - { name: portland, cidr: 192.0.2.0/24, location: { lat: 45.52, lon: -122.68 } }
  - { name: london, cidr: 198.51.100.0/24, location: { lat: 51.51, lon: -0.13 } }
  - { name: cape-town, cidr: 203.0.113.0/24, location: { lat: -33.92, lon: 18.42 } }
  - { name: europe-wide, cidr: 198.18.0.0/15, location: { lat: 50.1, lon: 8.7 } }
  - { name: johannesburg, cidr: 198.18.7.0/24, location: { lat: -26.2, lon: 28.0 } }
  - { name: v6-london, cidr: '2001:db8:1::/48', location: { lat: 51.51, lon: -0.13 } }
latency:
  portland: { eu-west-2: 5 }
`;

/** The policy test world, optionally with YAML appended or replaced. */
export function policyWorld(yaml = POLICY_WORLD_YAML): World {
  const r = lintWorldText(yaml, 'policy-world.yaml');
  if (!r.world) throw new Error(`test world invalid: ${JSON.stringify(r.diagnostics)}`);
  return r.world;
}

/** All regions up except those listed as down or drained. */
export function healthWith(
  world: World,
  opts: { down?: readonly string[]; drained?: readonly string[]; version?: number } = {},
): HealthTable {
  const base = uniformHealthTable(
    world.regions.map((r) => r.name),
    'up',
  );
  return {
    version: opts.version ?? 1,
    publishedAtMs: 0,
    regions: base.regions.map((r) => {
      const down = opts.down?.includes(r.name) ?? false;
      const drained = opts.drained?.includes(r.name) ?? false;
      return { ...r, state: down ? 'down' : 'up', drained, serving: !down && !drained };
    }),
  };
}
