// When signatures start and stop being valid. Windows are quantised so that every answer signed
// within one refresh period shares one signature (the cache then serves it), and the expiration
// is spread per RRset by a deterministic jitter so signatures do not all expire at once.
import type { SignatureWindow } from './sign-rrset.js';

export interface ValidityPolicy {
  /** How long a signature is valid after its refresh period starts. Default 7 days. */
  readonly validitySeconds: number;
  /** A new signature is made at most once per period. Default 1 day. */
  readonly refreshSeconds: number;
  /** Inception this long before the period starts (clock skew of validators). Default 1 hour. */
  readonly inceptionOffsetSeconds: number;
  /** Up to this much added to the expiration and taken from the inception. Default 1 hour. */
  readonly jitterSeconds: number;
}

export const DEFAULT_VALIDITY: ValidityPolicy = Object.freeze({
  validitySeconds: 7 * 86_400,
  refreshSeconds: 86_400,
  inceptionOffsetSeconds: 3600,
  jitterSeconds: 3600,
});

/** FNV-1a of `bytes` (the jitter's seed: the same RRset always gets the same jitter). */
function fnv1a(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return h >>> 0;
}

/**
 * The window for an RRset identified by `seed` (its owner and type bytes) at `nowSeconds`, and
 * the period it belongs to (the cache key). The jitter never makes a window end before the next
 * period's window begins to be used.
 */
export function validityWindow(
  nowSeconds: number,
  seed: Uint8Array,
  policy: ValidityPolicy = DEFAULT_VALIDITY,
): SignatureWindow & { period: number } {
  const period = Math.floor(nowSeconds / policy.refreshSeconds);
  const start = period * policy.refreshSeconds;
  const jitter = policy.jitterSeconds > 0 ? fnv1a(seed) % policy.jitterSeconds : 0;
  return {
    period,
    inception: start - policy.inceptionOffsetSeconds - jitter,
    expiration: start + policy.validitySeconds + jitter,
  };
}
