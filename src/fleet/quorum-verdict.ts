// The quorum rule: from how many fresh vantages see a region up, one raw verdict. Pure.
import type { Quorum } from '../world/index.js';

/** `up`/`down` from the fresh vantages, or `none` when no vantage is fresh (fail static). */
export type QuorumVerdict = 'up' | 'down' | 'none';

/**
 * How many of `fresh` vantages must see a region up for it to be up:
 * - `majority`: at least half (`2 × up ≥ fresh`): more than half must see it down to call it
 *   down, so a tie stays up and one cut path among two vantages evicts nothing;
 * - `any`: one (down only when every fresh vantage sees it down);
 * - `all`: every fresh vantage;
 * - N: N, or every fresh vantage when fewer than N are fresh.
 * See docs/decisions/0020 for why, and for what other platforms do.
 */
export function quorumThreshold(rule: Quorum, fresh: number): number {
  if (rule === 'majority') return Math.ceil(fresh / 2);
  if (rule === 'any') return Math.min(1, fresh);
  if (rule === 'all') return fresh;
  return Math.min(rule, fresh);
}

/** The raw verdict of `up` out of `fresh` vantages under `rule`. */
export function quorumVerdict(up: number, fresh: number, rule: Quorum): QuorumVerdict {
  if (fresh <= 0) return 'none';
  return up >= Math.max(1, quorumThreshold(rule, fresh)) ? 'up' : 'down';
}
