// Injected randomness: production uses crypto-quality numbers, tests a seeded generator.
import { randomInt } from 'node:crypto';

/** A source of uniform numbers in [0, 1). */
export interface Random {
  next(): number;
}

/** Math.random-backed source; good enough for coin flips and jitter, not for secrets. */
export const systemRandom: Random = { next: () => Math.random() };

/** A deterministic generator (mulberry32) for tests and reproducible simulations. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return {
    next() {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}

/** A random 32-bit seed from the operating system. */
export function randomSeed(): number {
  return randomInt(0, 2 ** 31);
}
