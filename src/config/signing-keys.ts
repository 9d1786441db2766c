// Ed25519 keys for config snapshots: home holds the private key, regions get the public key.
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { MeridianError } from '../core/index.js';

/** A PEM string (SPKI / PKCS#8) or a node:crypto KeyObject. */
export type KeyInput = string | KeyObject;

/** A fresh Ed25519 key pair as PEM strings (for tests, examples and first set-up). */
export function generateSigningKeys(): { publicKey: string; privateKey: string } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

/** Parses a public key; throws MERIDIAN_CONFIG_BAD_KEY unless it is an Ed25519 public key. */
export function toPublicKey(input: KeyInput): KeyObject {
  if (typeof input === 'string' && input.includes('PRIVATE KEY')) {
    throw new MeridianError(
      'MERIDIAN_CONFIG_BAD_KEY',
      'config public key: got a private key; give regions the public key only (home keeps the private key)',
    );
  }
  let key: KeyObject;
  try {
    key = typeof input === 'string' ? createPublicKey(input) : input;
  } catch (cause) {
    throw new MeridianError('MERIDIAN_CONFIG_BAD_KEY', 'config public key: not a PEM public key', { cause });
  }
  if (key.type !== 'public' || key.asymmetricKeyType !== 'ed25519') {
    throw new MeridianError('MERIDIAN_CONFIG_BAD_KEY', 'config public key: expected an Ed25519 public key');
  }
  return key;
}

/** Parses a private key; throws MERIDIAN_CONFIG_BAD_KEY unless it is an Ed25519 private key. */
export function toPrivateKey(input: KeyInput): KeyObject {
  let key: KeyObject;
  try {
    key = typeof input === 'string' ? createPrivateKey(input) : input;
  } catch (cause) {
    throw new MeridianError('MERIDIAN_CONFIG_BAD_KEY', 'config private key: not a PEM private key', {
      cause,
    });
  }
  if (key.type !== 'private' || key.asymmetricKeyType !== 'ed25519') {
    throw new MeridianError('MERIDIAN_CONFIG_BAD_KEY', 'config private key: expected an Ed25519 private key');
  }
  return key;
}
