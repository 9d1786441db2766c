// DNS names in the canonical form DNSSEC signs (RFC 4034 §6.2): uncompressed wire labels, ASCII
// letters lowercased, and the canonical order of names (§6.1) that NSEC chains follow.

/** The canonical wire form of an absolute name given as text (`www.example.test`, dot optional). */
export function canonicalName(text: string): Buffer {
  const name = text.endsWith('.') ? text.slice(0, -1) : text;
  const labels = name === '' ? [] : name.split('.');
  const parts: number[] = [];
  for (const label of labels) {
    if (label.length === 0 || label.length > 63) throw new RangeError(`bad label in "${text}"`);
    parts.push(label.length);
    for (let i = 0; i < label.length; i++) {
      const c = label.charCodeAt(i);
      if (c > 0xff) throw new RangeError(`"${text}" is not an ASCII name`);
      parts.push(c >= 0x41 && c <= 0x5a ? c + 0x20 : c);
    }
  }
  parts.push(0);
  if (parts.length > 255) throw new RangeError(`"${text}" is longer than 255 octets`);
  return Buffer.from(parts);
}

/** Labels of a wire name, not counting the root (the RRSIG Labels field, RFC 4034 §3.1.3). */
export function labelCount(wire: Uint8Array): number {
  let n = 0;
  let o = 0;
  while (o < wire.length && wire[o] !== 0) {
    n += 1;
    o += wire[o]! + 1;
  }
  return n;
}
