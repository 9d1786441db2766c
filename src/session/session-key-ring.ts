// The key ring: every key a region accepts, and the one it issues with.
import { createSecretKey, hkdfSync, type KeyObject } from 'node:crypto';
import { MeridianError } from '../core/index.js';
import { keyedHmacSha256 } from './keyed-hmac-sha256.js';

/** Raw key material as given by the operator (at least 32 random bytes). */
export interface SessionKeyInput {
  /** 0–255; written into every ID issued with this key. */
  readonly id: number;
  readonly secret: Uint8Array;
}

/** A key ready for use: separate sub-keys for the MAC and the AEAD mode, derived with HKDF. */
export interface SessionKey {
  readonly id: number;
  /** HMAC-SHA256 under the MAC sub-key over `prefix ‖ message[0, end)`, as 32 latin1 characters. */
  readonly mac: (prefix: Uint8Array, message: Uint8Array, end: number) => string;
  readonly aeadKey: KeyObject;
}

export interface SessionKeyRing {
  /** The key new IDs are issued with. */
  readonly active: SessionKey;
  /** Every key id the ring accepts, active first. */
  readonly ids: readonly number[];
  /** The key with this id, or undefined. */
  get(id: number): SessionKey | undefined;
}

/** Minimum secret length in bytes. */
export const MIN_SESSION_SECRET_BYTES = 32;

function badKeys(message: string): MeridianError {
  return new MeridianError('MERIDIAN_SESSION_BAD_KEYS', message);
}

/**
 * Builds a key ring. Throws MERIDIAN_SESSION_BAD_KEYS when an id repeats or is out of range,
 * a secret is shorter than 32 bytes, or `activeKeyId` is not one of the keys. Secrets never
 * appear in messages.
 */
export function createSessionKeyRing(options: {
  keys: readonly SessionKeyInput[];
  activeKeyId: number;
}): SessionKeyRing {
  const byId: (SessionKey | undefined)[] = new Array(256).fill(undefined);
  for (const input of options.keys) {
    if (!Number.isInteger(input.id) || input.id < 0 || input.id > 255) {
      throw badKeys(`session key id ${input.id} must be a whole number from 0 to 255`);
    }
    if (byId[input.id]) throw badKeys(`session key id ${input.id} appears twice`);
    if (!(input.secret instanceof Uint8Array) || input.secret.length < MIN_SESSION_SECRET_BYTES) {
      throw badKeys(
        `session key ${input.id} is ${input.secret?.length ?? 0} bytes; it needs at least ${MIN_SESSION_SECRET_BYTES} random bytes (for example \`openssl rand -base64 32\`)`,
      );
    }
    byId[input.id] = Object.freeze({
      id: input.id,
      mac: keyedHmacSha256(derive(input.secret, 'meridian-session mac v1')),
      aeadKey: createSecretKey(derive(input.secret, 'meridian-session aead v1')),
    });
  }
  const active = byId[options.activeKeyId];
  if (!active) {
    const known = options.keys.map((k) => k.id).join(', ') || 'none';
    throw badKeys(`active session key ${options.activeKeyId} is not in the key ring (keys: ${known})`);
  }
  const ids = [active.id, ...options.keys.map((k) => k.id).filter((id) => id !== active.id)];
  return Object.freeze({
    active,
    ids: Object.freeze(ids),
    get: (id: number) => byId[id],
  });
}

function derive(secret: Uint8Array, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, new Uint8Array(0), info, 32));
}
