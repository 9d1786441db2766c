// IP prefixes (CIDR blocks) as bytes: parsing, containment and overlap for IPv4 and IPv6.
import ipaddr from 'ipaddr.js';

/** A network prefix: address bytes (4 or 16) with the host bits cleared, and its length. */
export interface IpPrefix {
  readonly family: 4 | 6;
  readonly bytes: Uint8Array;
  readonly length: number;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Parses an address (`10.0.0.1`, `::1`) into its family and bytes. */
export function parseAddress(text: string): ParseResult<{ family: 4 | 6; bytes: Uint8Array }> {
  if (!ipaddr.isValid(text) || (ipaddr.IPv4.isValid(text) && !ipaddr.IPv4.isValidFourPartDecimal(text))) {
    return { ok: false, reason: `"${text}" is not an IPv4 or IPv6 address` };
  }
  const addr = ipaddr.parse(text);
  return {
    ok: true,
    value: { family: addr.kind() === 'ipv4' ? 4 : 6, bytes: Uint8Array.from(addr.toByteArray()) },
  };
}

/**
 * Parses `a.b.c.d/n` or `x::/n`. Host bits must be zero (a CIDR with host bits set is
 * almost always a typo for a different network), unless `allowHostBits` is set.
 */
export function parseCidr(text: string, options: { allowHostBits?: boolean } = {}): ParseResult<IpPrefix> {
  const slash = text.indexOf('/');
  if (slash < 0) return { ok: false, reason: `"${text}" has no prefix length; write it like 10.0.0.0/16` };
  const addr = parseAddress(text.slice(0, slash));
  if (!addr.ok) return addr;
  const lenText = text.slice(slash + 1);
  const max = addr.value.family === 4 ? 32 : 128;
  const length = /^\d{1,3}$/.test(lenText) ? Number(lenText) : Number.NaN;
  if (!(length >= 0 && length <= max)) {
    return { ok: false, reason: `prefix length "/${lenText}" must be a whole number from 0 to ${max}` };
  }
  const bytes = maskBytes(addr.value.bytes, length);
  if (!options.allowHostBits && !bytesEqual(bytes, addr.value.bytes)) {
    return {
      ok: false,
      reason: `"${text}" has host bits set; the network is ${formatPrefix({ family: addr.value.family, bytes, length })}`,
    };
  }
  return { ok: true, value: { family: addr.value.family, bytes, length } };
}

/** Clears every bit after the first `length` bits. */
export function maskBytes(bytes: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) {
    const bits = Math.max(0, Math.min(8, length - i * 8));
    out[i] = bits === 0 ? 0 : (bytes[i] ?? 0) & (0xff << (8 - bits));
  }
  return out;
}

/** True when `outer` contains every address of `inner`. */
export function prefixContains(outer: IpPrefix, inner: IpPrefix): boolean {
  if (outer.family !== inner.family || outer.length > inner.length) return false;
  return bytesEqual(maskBytes(inner.bytes, outer.length), outer.bytes);
}

/** True when the two prefixes share at least one address. */
export function prefixesOverlap(a: IpPrefix, b: IpPrefix): boolean {
  return prefixContains(a, b) || prefixContains(b, a);
}

/** `10.20.0.0/16` or `2001:db8::/32`. */
export function formatPrefix(p: IpPrefix): string {
  const addr = p.family === 4 ? new ipaddr.IPv4([...p.bytes]) : new ipaddr.IPv6(bytesToParts(p.bytes));
  return `${addr.toString()}/${p.length}`;
}

function bytesToParts(bytes: Uint8Array): number[] {
  const parts: number[] = [];
  for (let i = 0; i < 16; i += 2) parts.push(((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0));
  return parts;
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
