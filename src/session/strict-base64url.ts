// Base64url without padding, decoded strictly: one canonical text per byte string.
const ALPHABET = /^[A-Za-z0-9_-]*$/;
const CHAR_VALUE = new Int8Array(128).fill(-1);
for (const [i, ch] of [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'].entries()) {
  CHAR_VALUE[ch.charCodeAt(0)] = i;
}

/**
 * Decodes unpadded base64url, or returns undefined for anything else: other characters
 * (`+`, `/`, `=`, whitespace), an impossible length, or unused trailing bits that are not
 * zero (Node's own decoder accepts all of these and so maps many texts onto one value).
 */
export function decodeBase64UrlStrict(text: string): Buffer | undefined {
  const rest = text.length & 3;
  if (rest === 1 || !ALPHABET.test(text)) return undefined;
  if (rest !== 0) {
    const last = CHAR_VALUE[text.charCodeAt(text.length - 1)] as number;
    if ((last & (rest === 2 ? 0x0f : 0x03)) !== 0) return undefined;
  }
  return Buffer.from(text, 'base64url');
}

/** Encodes as unpadded base64url. */
export function encodeBase64Url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}
