// The key tag of a DNSKEY (RFC 4034 Appendix B): the 16-bit checksum that RRSIG and DS use to
// name a key.

/** Key tag of the DNSKEY RDATA `rdata` (flags, protocol, algorithm, public key). */
export function keyTag(rdata: Uint8Array): number {
  let ac = 0;
  for (let i = 0; i < rdata.length; i++) ac += i & 1 ? rdata[i]! : rdata[i]! << 8;
  ac += (ac >>> 16) & 0xffff;
  return ac & 0xffff;
}
