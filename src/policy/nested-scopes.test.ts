import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type IpPrefix, maskBytes, prefixContains } from '../core/index.js';
import { nestedScopes } from './nested-scopes.js';

/** The definition: own length, widened to every longer prefix of the family it contains. */
function bruteForce(prefixes: readonly IpPrefix[]): number[] {
  return prefixes.map((n) => {
    let scope = n.length;
    for (const m of prefixes) {
      if (m !== n && m.family === n.family && m.length > n.length && prefixContains(n, m))
        scope = Math.max(scope, m.length);
    }
    return scope;
  });
}

const prefix = fc
  .record({
    family: fc.constantFrom(4 as const, 6 as const),
    // few distinct leading bytes, so that nesting and duplicates are common
    seed: fc.array(fc.constantFrom(0, 1, 128, 255), { minLength: 16, maxLength: 16 }),
    fraction: fc.double({ min: 0, max: 1, noNaN: true }),
  })
  .map(({ family, seed, fraction }): IpPrefix => {
    const bytes = Uint8Array.from(seed.slice(0, family === 4 ? 4 : 16));
    const length = Math.floor(fraction * (family === 4 ? 32 : 128));
    return { family, bytes: maskBytes(bytes, length), length };
  });

describe('nestedScopes', () => {
  it('equals the pairwise definition on any set of prefixes (nested, equal, both families)', () => {
    fc.assert(
      fc.property(fc.array(prefix, { maxLength: 40 }), (prefixes) => {
        expect(nestedScopes(prefixes)).toEqual(bruteForce(prefixes));
      }),
      { numRuns: 500 },
    );
  });

  it('takes n log n steps, not n², for 20 000 networks', () => {
    const nets = (n: number): IpPrefix[] =>
      Array.from({ length: n }, (_, i) => ({
        family: 4,
        bytes: Uint8Array.from([100, 64 + (i >> 8), i & 255, 0]),
        length: 24,
      }));
    const steps = (n: number) => {
      const work = { steps: 0 };
      nestedScopes(nets(n), work);
      return work.steps;
    };
    // n log2 n is 286 000 at 20 000; pairwise would be 400 000 000
    expect(steps(20_000)).toBeLessThan(20_000 * Math.log2(20_000) * 2);
    expect(steps(20_000)).toBeLessThanOrEqual(5 * steps(5_000));
  });
});
