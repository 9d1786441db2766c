// One (client key, region) figure: an exponentially weighted moving average of reported round
// trips that follows a worse path quickly and a better one slowly (as Akamai goes down fast and
// comes up slowly), with the count and time of its samples.

/** How fast the average follows: a weight per sample above and below the current figure. */
export interface RttAverageWeights {
  /** Weight of a sample slower than the average (a worse path shows quickly). Default 0.3. */
  readonly worse: number;
  /** Weight of a sample faster than the average (a better path must prove itself). Default 0.1. */
  readonly better: number;
}

export const DEFAULT_RTT_WEIGHTS: RttAverageWeights = Object.freeze({ worse: 0.3, better: 0.1 });

/** A running figure; `fold` returns a new one (values are immutable). */
export interface RttAverage {
  readonly rttMs: number;
  readonly samples: number;
  readonly lastAtMs: number;
}

/** The average after one more sample (`previous` undefined: the first sample is the figure). */
export function foldRtt(
  previous: RttAverage | undefined,
  rttMs: number,
  atMs: number,
  weights: RttAverageWeights = DEFAULT_RTT_WEIGHTS,
): RttAverage {
  if (!previous) return { rttMs, samples: 1, lastAtMs: atMs };
  const w = rttMs > previous.rttMs ? weights.worse : weights.better;
  return {
    rttMs: previous.rttMs + w * (rttMs - previous.rttMs),
    samples: previous.samples + 1,
    lastAtMs: Math.max(previous.lastAtMs, atMs),
  };
}
