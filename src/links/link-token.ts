// Link tokens: the destination travels inside the link, MAC'd, so the redirect needs no lookup.
//
// Layout (then base64url without padding):
//   version u8 (=1) | keyId u8 | createdAt u32 (epoch seconds, BE) | nonce 6 bytes |
//   partnerId length u8 | partnerId utf8 | destination utf8 (rest) | tag 16 bytes
// tag = first 16 bytes of HMAC-SHA256(key, everything before the tag).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { MeridianError } from '../core/index.js';

const VERSION = 1;
const HEADER_BYTES = 1 + 1 + 4 + 6 + 1;
const TAG_BYTES = 16;
/** Tokens longer than this are rejected before decoding (4 KiB destination + overhead). */
export const MAX_LINK_TOKEN_CHARS = 5600;

export interface LinkKey {
  /** 0…255, carried in the token so keys can rotate. */
  readonly id: number;
  /** At least 32 bytes of secret. */
  readonly secret: Uint8Array;
}

export interface LinkPayload {
  readonly partnerId: string;
  readonly destination: string;
  readonly createdAtMs: number;
}

export type LinkDecodeResult =
  | { readonly ok: true; readonly link: LinkPayload }
  | { readonly ok: false; readonly reason: 'malformed' | 'unknown-key' | 'bad-mac' };

export interface LinkTokenCodec {
  /** A fresh token (random nonce) for `payload`. */
  encode(payload: LinkPayload): string;
  /** Verifies and decodes a token from an untrusted URL path. */
  decode(token: string): LinkDecodeResult;
}

const TOKEN_CHARS = /^[A-Za-z0-9_-]+$/;

/** A codec issuing with the first key and accepting every key in `keys`. */
export function createLinkTokenCodec(keys: readonly LinkKey[]): LinkTokenCodec {
  const active = keys[0];
  if (!active) throw new MeridianError('MERIDIAN_LINKS_BAD_KEY', 'link tokens need at least one key');
  const byId = new Map<number, Uint8Array>();
  for (const k of keys) {
    if (!Number.isInteger(k.id) || k.id < 0 || k.id > 255)
      throw new MeridianError('MERIDIAN_LINKS_BAD_KEY', `link key id ${k.id} is not 0…255`);
    if (k.secret.length < 32)
      throw new MeridianError('MERIDIAN_LINKS_BAD_KEY', `link key ${k.id} is shorter than 32 bytes`);
    byId.set(k.id, k.secret);
  }
  const tag = (secret: Uint8Array, body: Uint8Array) =>
    createHmac('sha256', secret).update(body).digest().subarray(0, TAG_BYTES);

  return {
    encode({ partnerId, destination, createdAtMs }) {
      const pid = Buffer.from(partnerId, 'utf8');
      if (pid.length > 255)
        throw new MeridianError('MERIDIAN_LINKS_BAD_LINK', 'partnerId longer than 255 bytes');
      const dest = Buffer.from(destination, 'utf8');
      const body = Buffer.allocUnsafe(HEADER_BYTES + pid.length + dest.length);
      body[0] = VERSION;
      body[1] = active.id;
      body.writeUInt32BE(Math.max(0, Math.floor(createdAtMs / 1000)) >>> 0, 2);
      randomBytes(6).copy(body, 6);
      body[12] = pid.length;
      pid.copy(body, HEADER_BYTES);
      dest.copy(body, HEADER_BYTES + pid.length);
      return Buffer.concat([body, tag(active.secret, body)]).toString('base64url');
    },
    decode(token) {
      if (token.length < 4 || token.length > MAX_LINK_TOKEN_CHARS || !TOKEN_CHARS.test(token)) {
        return { ok: false, reason: 'malformed' };
      }
      const raw = Buffer.from(token, 'base64url');
      if (raw.length < HEADER_BYTES + TAG_BYTES || raw[0] !== VERSION)
        return { ok: false, reason: 'malformed' };
      // Canonical encoding only: no trailing bits that decode to the same bytes.
      if (raw.toString('base64url') !== token) return { ok: false, reason: 'malformed' };
      const secret = byId.get(raw[1]!);
      if (!secret) return { ok: false, reason: 'unknown-key' };
      const body = raw.subarray(0, raw.length - TAG_BYTES);
      if (!timingSafeEqual(tag(secret, body), raw.subarray(raw.length - TAG_BYTES))) {
        return { ok: false, reason: 'bad-mac' };
      }
      const pidLength = body[12]!;
      if (HEADER_BYTES + pidLength > body.length) return { ok: false, reason: 'malformed' };
      return {
        ok: true,
        link: {
          createdAtMs: body.readUInt32BE(2) * 1000,
          partnerId: body.toString('utf8', HEADER_BYTES, HEADER_BYTES + pidLength),
          destination: body.toString('utf8', HEADER_BYTES + pidLength),
        },
      };
    },
  };
}
