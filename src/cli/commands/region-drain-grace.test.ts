import { describe, expect, it } from 'vitest';
import { deadRegionAnsweredMs, detectionWindowMs } from '../../health-table/index.js';
import { answerTtlSeconds } from '../../policy/index.js';
import { POLICY_WORLD_YAML, policyWorld } from '../../policy/test-support/policy-world.js';
import { regionDrainGraceMs } from './region-drain-grace.js';

describe('regionDrainGraceMs', () => {
  it('is the detection window plus the TTL the links answers are served with', () => {
    const world = policyWorld(
      POLICY_WORLD_YAML.replace(
        /^health: .*$/m,
        'health: { path: /healthz, intervalMs: 1000, timeoutMs: 1500, rise: 2, fall: 2 }',
      ),
    );
    const region = world.regions.find((r) => r.name === 'eu-west-2')!;
    const links = world.hostnames.find((h) => h.workload === 'links')!;
    expect(answerTtlSeconds(world, links)).toBe(4);
    expect(regionDrainGraceMs(world, 'eu-west-2')).toBe(deadRegionAnsweredMs(region.health, 4));
    expect(regionDrainGraceMs(world, 'eu-west-2')).toBe(detectionWindowMs(region.health) + 4000);
    expect(regionDrainGraceMs(world, 'eu-west-2')).toBe(8500);
    expect(regionDrainGraceMs(world, 'atlantis')).toBe(0);
  });
});
