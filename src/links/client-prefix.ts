// Who "one client" is for rate limits: an IPv4 address, or the /56 an IPv6 address is in (what
// one subscriber is usually given, and can hop around in freely). IPv4-mapped IPv6 addresses
// count as their IPv4 address.
import { formatPrefix, maskBytes, parseAddress } from '../core/index.js';

/** Bits of an IPv6 address that name one client. */
export const CLIENT_IPV6_PREFIX_LENGTH = 56;

/** The client an address belongs to: `192.0.2.1` or `2001:db8:0:100::/56`; other text as is. */
export function clientPrefix(address: string): string {
  const parsed = parseAddress(address);
  if (!parsed.ok) return address;
  const { family, bytes } = parsed.value;
  if (family === 4) return bytes.join('.');
  if (bytes.subarray(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) {
    return Array.from(bytes.subarray(12)).join('.');
  }
  return formatPrefix({
    family: 6,
    bytes: maskBytes(bytes, CLIENT_IPV6_PREFIX_LENGTH),
    length: CLIENT_IPV6_PREFIX_LENGTH,
  });
}
