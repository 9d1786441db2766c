// HMAC-SHA256 (RFC 2104) with the key's pad blocks prepared once: the verify hot path.
import { createHmac, hash } from 'node:crypto';

const BLOCK = 64;
const DIGEST = 32;
const SCRATCH = 512;

/**
 * Returns `mac(prefix, message, end)` = HMAC-SHA256(key, prefix ‖ message[0, end)). It runs
 * two one-shot SHA-256 calls over reused buffers, which costs about a third less than
 * `createHmac` per call for short messages; longer input falls back to `createHmac`.
 * Not re-entrant across threads (there are none); the result is a fresh Buffer.
 */
export function keyedHmacSha256(
  key: Uint8Array,
): (prefix: Uint8Array, message: Uint8Array, end: number) => Buffer {
  const k = key.length > BLOCK ? new Uint8Array(hash('sha256', key, 'buffer') as unknown as Buffer) : key;
  const inner = Buffer.alloc(BLOCK + SCRATCH);
  const outer = Buffer.alloc(BLOCK + DIGEST);
  for (let i = 0; i < BLOCK; i++) {
    inner[i] = (k[i] ?? 0) ^ 0x36;
    outer[i] = (k[i] ?? 0) ^ 0x5c;
  }
  const keyCopy = Buffer.from(key);
  return (prefix, message, end) => {
    const length = prefix.length + end;
    if (length > SCRATCH)
      return createHmac('sha256', keyCopy).update(prefix).update(message.subarray(0, end)).digest();
    inner.set(prefix, BLOCK);
    for (let i = 0; i < end; i++) inner[BLOCK + prefix.length + i] = message[i] as number;
    const innerDigest = hash('sha256', inner.subarray(0, BLOCK + length), 'buffer') as unknown as Buffer;
    outer.set(innerDigest, BLOCK);
    return hash('sha256', outer, 'buffer') as unknown as Buffer;
  };
}
