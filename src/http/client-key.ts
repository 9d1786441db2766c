// The key a client's connections are counted under: its IPv4 address, or its IPv6 /64 (one
// subscriber usually holds a whole /64, so a per-address cap would not hold there).
import { parseAddress } from '../core/index.js';

/** `127.0.0.1` for `127.0.0.1` and `::ffff:127.0.0.1`; `2001:db8:1:2::/64` for any address in it. */
export function clientKeyOf(address: string | undefined): string {
  if (!address) return '?';
  if (!address.includes(':')) return address;
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped) return mapped[1]!;
  const parsed = parseAddress(address);
  if (!parsed.ok) return address;
  const b = parsed.value.bytes;
  const groups: string[] = [];
  for (let i = 0; i < 8; i += 2) groups.push(((b[i]! << 8) | b[i + 1]!).toString(16));
  return `${groups.join(':')}::/64`;
}
