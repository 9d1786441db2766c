import { describe, expect, it } from 'vitest';
import { healthWith, policyWorld } from '../policy/test-support/policy-world.js';
import { DnsEngine } from './dns-engine.js';

const world = policyWorld();

describe('DnsEngine', () => {
  it('a health change compiles new steering and a new answer cache, never the zone again', () => {
    const engine = new DnsEngine({ world, health: healthWith(world) });
    const before = engine.snapshot;
    engine.setHealth(healthWith(world, { down: ['af-south-1'], version: 2 }));
    expect(engine.snapshot).not.toBe(before);
    expect(engine.snapshot.steering).not.toBe(before.steering);
    expect(engine.snapshot.zone).toBe(before.zone);
    expect(engine.steering.health.version).toBe(2);
  });

  it('refuses a health table of another world', () => {
    const engine = new DnsEngine({ world, health: healthWith(world) });
    const other = policyWorld()
      .regions.slice(0, 2)
      .map((r) => r.name);
    expect(() =>
      engine.setHealth({
        version: 3,
        publishedAtMs: 0,
        regions: healthWith(world).regions.filter((r) => other.includes(r.name)),
      }),
    ).toThrow(expect.objectContaining({ code: 'MERIDIAN_POLICY_HEALTH_MISMATCH' }));
  });
});
