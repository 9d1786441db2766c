import { describe, expect, it } from 'vitest';
import { ClientLocator } from './client-locator.js';
import { POLICY_WORLD_YAML, policyWorld } from './test-support/policy-world.js';

// the policy world plus 5 000 /24 networks, and a few nested in them
const many = Array.from(
  { length: 5_000 },
  (_, i) => `  - { name: n${i}, cidr: 100.${64 + (i >> 8)}.${i & 255}.0/24, location: { lat: 1, lon: 2 } }`,
).join('\n');
const nested = Array.from(
  { length: 20 },
  (_, i) => `  - { name: m${i}, cidr: 100.64.${i}.128/26, location: { lat: 3, lon: 4 } }`,
).join('\n');
const world = policyWorld(POLICY_WORLD_YAML.replace('latency:', `${many}\n${nested}\nlatency:`));

function sample(locator: ClientLocator) {
  const out: string[] = [];
  const probe = (bytes: number[], prefix: number) => {
    const located = { classId: -1, scope: -1 };
    const id = locator.locate(bytes.length === 4 ? 4 : 6, Uint8Array.from(bytes), prefix, located);
    expect(located.classId).toBe(id);
    out.push(`${bytes.join('.')}/${prefix} → ${locator.classes[id]?.key} scope ${located.scope}`);
  };
  for (let i = 0; i < 25; i++) probe([100, 64, i, 150], 32);
  probe([100, 64, 3, 7], 24);
  probe([100, 83, 135, 1], 32);
  probe([198, 18, 7, 9], 32);
  probe([198, 19, 0, 1], 32);
  probe([9, 9, 9, 9], 32);
  probe([0x20, 0x01, 0x0d, 0xb8, 0, 1, ...new Array(10).fill(0)], 56);
  return out;
}

describe('ClientLocator.build', () => {
  it('locates exactly as the constructor does', async () => {
    const built = await ClientLocator.build(world);
    const made = new ClientLocator(world);
    expect(built.classes).toEqual(made.classes);
    expect(sample(built)).toEqual(sample(made));
    expect(sample(made)).toContain('100.64.3.150/32 → network:m3 scope 26');
    expect(sample(made)).toContain('100.64.3.7/24 → network:n3 scope 26');
  });

  it('gives way to the event loop between slices of networks', async () => {
    let turns = 0;
    let building = true;
    const spin = () => {
      turns += 1;
      if (building) setImmediate(spin);
    };
    setImmediate(spin);
    await ClientLocator.build(world);
    building = false;
    // 5 026 networks in slices of 500, then the IPv4 levels likewise
    expect(turns).toBeGreaterThanOrEqual(5);
  });
});
