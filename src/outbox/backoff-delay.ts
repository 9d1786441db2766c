// Exponential backoff with "equal jitter": retries spread out so regions do not stampede home.
import type { Random } from '../core/index.js';

export interface BackoffSettings {
  /** Delay ceiling before jitter for the first retry. */
  readonly baseMs: number;
  /** Largest delay ever returned. */
  readonly maxMs: number;
}

/**
 * The delay before retry number `attempt` (1 = first retry): the ceiling
 * `min(maxMs, baseMs * 2^(attempt-1))`, of which the upper half is random.
 */
export function backoffDelayMs(attempt: number, settings: BackoffSettings, random: Random): number {
  const exp = Math.min(Math.max(attempt, 1) - 1, 52);
  const ceiling = Math.min(settings.maxMs, settings.baseMs * 2 ** exp);
  return Math.round(ceiling / 2 + (ceiling / 2) * random.next());
}
