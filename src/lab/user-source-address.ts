// The loopback source address of the n-th connection a simulated user opens to a region: each
// journey comes from its own address, as real users do, so a region's per-client limits see
// many clients rather than one (every lab connection would otherwise come from 127.0.0.1).

/** The loopback block simulated users' connections come from (127.77.0.0/16). */
export const USER_SOURCE_PREFIX = '127.77';

const PER_BLOCK = 254;

/** `127.77.x.y` (y in 1…254), cycling after 65 024 connections. */
export function userSourceAddress(n: number): string {
  const i = ((n % (256 * PER_BLOCK)) + 256 * PER_BLOCK) % (256 * PER_BLOCK);
  return `${USER_SOURCE_PREFIX}.${Math.floor(i / PER_BLOCK)}.${(i % PER_BLOCK) + 1}`;
}
