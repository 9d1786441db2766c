// The rollout split measured over 1 M distinct client subnets, and stickiness when raised.
import { describe, expect, it } from 'vitest';
import { hostnameSeed, rolloutBucket } from './rollout-bucket.js';

const SUBNETS = 1_000_000;
const seed = hostnameSeed('links.example.test');

/** Buckets of 1 M distinct /24s (10.0.0.0/24 … ), computed once. */
function buckets(): Uint16Array {
  const out = new Uint16Array(SUBNETS);
  const b = new Uint8Array(4);
  for (let i = 0; i < SUBNETS; i++) {
    b[0] = 10 + (i >>> 16);
    b[1] = (i >>> 8) & 0xff;
    b[2] = i & 0xff;
    out[i] = rolloutBucket(4, b, 24, seed);
  }
  return out;
}

describe('rolloutBucket', () => {
  const all = buckets();

  it.each([
    [10, 0.001],
    [100, 0.01],
    [5000, 0.5],
  ])('at %i basis points the realised share over 1 M subnets is within ±10 %% of %f', (bp, share) => {
    let inside = 0;
    for (let i = 0; i < SUBNETS; i++) if (all[i]! < bp) inside++;
    const realised = inside / SUBNETS;
    expect(Math.abs(realised - share) / share).toBeLessThan(0.1);
  });

  it('raising 1 % → 5 % moves only the new 4 %: nobody leaves, and exactly the newcomers join', () => {
    let left = 0;
    let joined = 0;
    for (let i = 0; i < SUBNETS; i++) {
      const before = all[i]! < 100;
      const after = all[i]! < 500;
      if (before && !after) left++;
      if (!before && after) joined++;
    }
    expect(left).toBe(0);
    expect(Math.abs(joined / SUBNETS - 0.04) / 0.04).toBeLessThan(0.1);
  });

  it('is sticky per subnet: every address of a /24 (and any longer ECS prefix) is in the same bucket', () => {
    const a = rolloutBucket(4, Uint8Array.from([198, 51, 100, 1]), 32, seed);
    expect(rolloutBucket(4, Uint8Array.from([198, 51, 100, 250]), 32, seed)).toBe(a);
    expect(rolloutBucket(4, Uint8Array.from([198, 51, 100, 0]), 24, seed)).toBe(a);
    expect(rolloutBucket(6, new Uint8Array(16).fill(7), 128, seed)).toBe(
      rolloutBucket(
        6,
        Uint8Array.from([...new Uint8Array(7).fill(7), 0, ...new Uint8Array(8).fill(1)]),
        128,
        seed,
      ),
    );
  });

  it('differs between hostnames (a client is not in every rollout at once)', () => {
    const other = hostnameSeed('api.example.test');
    let same = 0;
    const b = new Uint8Array(4);
    for (let i = 0; i < 10_000; i++) {
      b[1] = i >>> 8;
      b[2] = i & 0xff;
      if (rolloutBucket(4, b, 24, seed) < 100 && rolloutBucket(4, b, 24, other) < 100) same++;
    }
    expect(same).toBeLessThan(20); // independent: about 10000 × 1 % × 1 % = 1
  });
});
