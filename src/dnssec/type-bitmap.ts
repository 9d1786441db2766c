// The type bit maps field of NSEC (RFC 4034 §4.1.2): window blocks of up to 32 bytes.

/** Encodes the set of RR types `types` (any order, duplicates ignored). */
export function typeBitmap(types: Iterable<number>): Buffer {
  const windows = new Map<number, Uint8Array>();
  for (const t of types) {
    if (!Number.isInteger(t) || t < 0 || t > 0xffff) throw new RangeError(`bad RR type ${t}`);
    const w = t >>> 8;
    const bits = windows.get(w) ?? new Uint8Array(32);
    bits[(t & 0xff) >>> 3]! |= 0x80 >>> (t & 7);
    windows.set(w, bits);
  }
  const parts: Buffer[] = [];
  for (const w of [...windows.keys()].sort((a, b) => a - b)) {
    const bits = windows.get(w)!;
    let length = 32;
    while (length > 0 && bits[length - 1] === 0) length--;
    parts.push(Buffer.from([w, length]), Buffer.from(bits.subarray(0, length)));
  }
  return Buffer.concat(parts);
}
