// Which aggregate a client's measurements belong to: its world network when it is in one, else
// its /24 (IPv4) or /48 (IPv6), so one client never has an aggregate of its own.
import { formatPrefix, maskBytes } from '../core/index.js';

/** Prefix lengths a client address is cut to when it is in no world network. */
export const CLIENT_SUBNET_V4 = 24;
export const CLIENT_SUBNET_V6 = 48;

/**
 * The aggregation key of a client at `bytes` (4 or 16 bytes): `network:<name>` when
 * `networkOf` places it in a world network, else `subnet:<a.b.c.0/24>` or `subnet:<x::/48>`.
 */
export function clientKey(
  family: 4 | 6,
  bytes: Uint8Array,
  networkOf: (family: 4 | 6, bytes: Uint8Array) => string | null,
): string {
  const network = networkOf(family, bytes);
  if (network !== null) return `network:${network}`;
  const length = family === 4 ? CLIENT_SUBNET_V4 : CLIENT_SUBNET_V6;
  return `subnet:${formatPrefix({ family, bytes: maskBytes(bytes, length), length })}`;
}
