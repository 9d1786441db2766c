// Route 53 weights are integers 0–255 per record, so a rollout share is approximated by a
// pair of weights; the smallest share above zero is 1/256.

export interface WeightPair {
  /** Weight of the record set that includes the rollout region. */
  readonly including: number;
  /** Weight of the record set without it. */
  readonly excluding: number;
  /** The share in basis points these weights actually give. */
  readonly effectiveBasisPoints: number;
}

/** The weight pair whose share is nearest `basisPoints` (0 … 10 000); ties go to larger weights. */
export function route53Weights(basisPoints: number): WeightPair {
  const target = Math.min(10_000, Math.max(0, basisPoints)) / 10_000;
  let best = { including: 0, excluding: 255, error: Number.POSITIVE_INFINITY };
  for (let a = 255; a >= 0; a--) {
    for (let b = 255; b >= 0; b--) {
      if (a + b === 0) continue;
      const error = Math.abs(a / (a + b) - target);
      if (error < best.error - 1e-12) best = { including: a, excluding: b, error };
    }
  }
  return {
    including: best.including,
    excluding: best.excluding,
    effectiveBasisPoints:
      Math.round((best.including / (best.including + best.excluding)) * 10_000 * 100) / 100,
  };
}
