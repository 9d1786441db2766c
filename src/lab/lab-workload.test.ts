// Which workload a world makes `meridian up` run: the first served hostname the lab knows.
import { describe, expect, it } from 'vitest';
import { lintWorldText } from '../world/index.js';
import { loadWorld } from '../world/io/index.js';
import { labWorkloadOf } from './lab-workload.js';

const world = (hostnames: string, services: string) => {
  const r = lintWorldText(`zone: example.test
home: us-west-2
regions:
  us-west-2: { cidr: 10.10.0.0/16, address: 127.0.1.1 }
hostnames:
${hostnames}
services:
${services}
`);
  if (!r.world) throw new Error(JSON.stringify(r.diagnostics));
  return r.world;
};

describe('labWorkloadOf', () => {
  it('picks links in the example world and profiles in examples/profiles.yaml', () => {
    expect(labWorkloadOf(loadWorld('examples/world.yaml'))?.name).toBe('links');
    const p = labWorkloadOf(loadWorld('examples/profiles.yaml'));
    expect(p?.name).toBe('profiles');
    expect(p?.hostname.fqdn).toBe('profiles.example.test');
  });

  it('skips home-policy and unknown workloads, and names the known ones it does not run', () => {
    const w = world(
      `  api: { workload: relay, policy: home }
  profiles: { workload: profiles, policy: latency }
  links: { workload: links, policy: latency }`,
      `  relay: { in: home }
  profiles: { in: all }
  links: { in: all }`,
    );
    const picked = labWorkloadOf(w);
    expect(picked?.name).toBe('profiles');
    expect(picked?.notRun.map((h) => h.workload)).toEqual(['links']);
    expect(labWorkloadOf(world('  api: { workload: relay, policy: home }', '  relay: { in: home }'))).toBe(
      undefined,
    );
  });
});
