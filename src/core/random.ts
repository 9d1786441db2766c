// Injected randomness for coin flips and jitter: Math.random in production, a seeded generator in
// tests. Not for secrets: keys, tokens and session IDs take their bytes from node:crypto.

/** A source of uniform numbers in [0, 1). */
export interface Random {
  next(): number;
}

/**
 * Math.random (V8's xorshift128+, seeded per process from the OS): uniform and as cheap as a
 * field read, which the per-query rollout coin flip needs. Predictable to someone who sees
 * enough outputs, which no caller cares about: nothing secret is drawn from a `Random`.
 */
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
