import { describe, expect, it } from 'vitest';
import { type Random, seededRandom, systemRandom } from './random.js';

const draws = (r: Random, n: number) => Array.from({ length: n }, () => r.next());

describe('Random', () => {
  it.each([
    ['systemRandom', () => systemRandom],
    ['seededRandom', () => seededRandom(2026)],
  ])('%s draws numbers in [0, 1)', (_name, make) => {
    for (const x of draws(make(), 10_000)) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
  });

  it('seededRandom repeats a sequence for a seed and spreads it evenly', () => {
    expect(draws(seededRandom(7), 5)).toEqual(draws(seededRandom(7), 5));
    expect(draws(seededRandom(7), 5)).not.toEqual(draws(seededRandom(8), 5));
    // Deterministic, so an exact bound is safe: 10 000 draws into 10 deciles.
    const deciles = new Array<number>(10).fill(0);
    for (const x of draws(seededRandom(1), 10_000)) deciles[Math.floor(x * 10)]! += 1;
    for (const count of deciles) expect(count).toBeGreaterThan(900);
  });
});
