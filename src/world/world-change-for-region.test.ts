import { describe, expect, it } from 'vitest';
import { lintWorldText } from './lint-world.js';
import { worldChangeForRegion } from './world-change-for-region.js';

const base = (extra = '', knob = 200) => `zone: example.test
home: us-west-2
regions:
  us-west-2: { cidr: 10.10.0.0/16, address: 127.0.1.1 }
  eu-west-2: { cidr: 10.20.0.0/16, address: 127.0.3.1 }
${extra}hostnames:
  links: { workload: links, policy: latency }
services:
  links: { in: all, version: 0.1.0 }
  ingest: { in: home }
template:
  knobs: { outboxFlushMs: ${knob} }
`;
const world = (text: string) => {
  const w = lintWorldText(text).world;
  if (!w) throw new Error(JSON.stringify(lintWorldText(text).diagnostics));
  return w;
};
const opts = { kind: 'region' as const, defaultBuild: '1.0.0' };

describe('worldChangeForRegion', () => {
  it('is empty when only another region was added: the region adopts the new world', () => {
    const before = world(base());
    const after = world(base('  af-south-1: { cidr: 10.30.0.0/16, address: 127.0.4.1 }\n'));
    expect(after.hash).not.toBe(before.hash);
    expect(worldChangeForRegion(before, after, 'eu-west-2', opts)).toEqual([]);
    expect(worldChangeForRegion(before, after, 'us-west-2', { ...opts, kind: 'home' })).toEqual([]);
  });

  it('names each template field this region runs by that changed', () => {
    expect(worldChangeForRegion(world(base()), world(base('', 500)), 'eu-west-2', opts)).toEqual([
      'knobs.outboxFlushMs',
    ]);
  });

  it('says so when the region is gone from the new world', () => {
    const after = world(base().replace('  eu-west-2: { cidr: 10.20.0.0/16, address: 127.0.3.1 }\n', ''));
    expect(worldChangeForRegion(world(base()), after, 'eu-west-2', opts)).toEqual([
      '(region removed from the world)',
    ]);
  });
});
