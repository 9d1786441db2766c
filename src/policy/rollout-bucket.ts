// Sticky rollout buckets: a stable hash of (client subnet, hostname) into 0 … 9 999 basis points.

/** Number of buckets: one per basis point (0.01 %). */
export const ROLLOUT_BUCKETS = 10_000;

/** IPv4 clients are bucketed by their /24, IPv6 clients by their /56 (what resolvers send in ECS). */
export const ROLLOUT_PREFIX_V4 = 24;
export const ROLLOUT_PREFIX_V6 = 56;

/**
 * The bucket (0 … 9 999) of a client subnet for a hostname. `bytes` is the client address; only
 * its first `prefixLength` bits (capped at /24 or /56) count, so every client of a subnet lands in
 * the same bucket. A client is in a rollout of `basisPoints` when `bucket < basisPoints`, so raising
 * 1 % → 5 % moves exactly the buckets 100 … 499 and nobody else.
 */
export function rolloutBucket(
  family: 4 | 6,
  bytes: Uint8Array,
  prefixLength: number,
  hostnameSeed: number,
): number {
  const bits = Math.min(prefixLength, family === 4 ? ROLLOUT_PREFIX_V4 : ROLLOUT_PREFIX_V6);
  let h = hostnameSeed ^ (family === 4 ? 0x9e3779b9 : 0x85ebca6b);
  const full = bits >>> 3;
  for (let i = 0; i < full; i++) h = Math.imul(h ^ (bytes[i] ?? 0), 0x01000193);
  const rest = bits & 7;
  if (rest > 0) h = Math.imul(h ^ ((bytes[full] ?? 0) & (0xff << (8 - rest)) & 0xff), 0x01000193);
  h = Math.imul(h ^ bits, 0x01000193);
  // murmur3 finaliser: spreads the FNV state over all 32 bits before the modulo
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) % ROLLOUT_BUCKETS;
}

/** The per-hostname seed of `rolloutBucket` (FNV-1a of the lowercase FQDN). */
export function hostnameSeed(fqdn: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < fqdn.length; i++) h = Math.imul(h ^ fqdn.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
