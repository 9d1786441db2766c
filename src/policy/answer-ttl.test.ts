import { describe, expect, it } from 'vitest';
import { detectionWindowMs } from '../health-table/index.js';
import { answerTtlSeconds } from './answer-ttl.js';
import { POLICY_WORLD_YAML, policyWorld } from './test-support/policy-world.js';

/** The policy world with other probe settings (timeout longer than the interval here). */
function worldWithHealth(health: string) {
  return policyWorld(POLICY_WORLD_YAML.replace(/^health: .*$/m, `health: ${health}`));
}

describe('answerTtlSeconds', () => {
  it('caps the TTL at the detection window (probes spaced by a timeout longer than the interval)', () => {
    const world = worldWithHealth('{ path: /healthz, intervalMs: 1000, timeoutMs: 1500, rise: 2, fall: 2 }');
    const links = world.hostnames.find((h) => h.name === 'links')!;
    const windowMs = detectionWindowMs(world.regions[0]!.health);
    expect(windowMs).toBe(4500); // 2 × 1500 + 1500, not 2 × 1000 + 1500
    expect(answerTtlSeconds(world, links)).toBe(4);
  });

  it('keeps a TTL shorter than the window, floors the cap at 1 s, and leaves home answers alone', () => {
    const world = worldWithHealth('{ path: /healthz, intervalMs: 100, timeoutMs: 100, rise: 2, fall: 2 }');
    const h = (name: string) => world.hostnames.find((x) => x.name === name)!;
    expect(answerTtlSeconds(world, h('links'))).toBe(1); // window 300 ms
    expect(answerTtlSeconds(world, h('api'))).toBe(120);
    const slow = worldWithHealth('{ path: /healthz, intervalMs: 20000, timeoutMs: 1000, rise: 2, fall: 3 }');
    expect(answerTtlSeconds(slow, slow.hostnames.find((x) => x.name === 'links')!)).toBe(30);
  });
});
