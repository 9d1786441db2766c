// A signing key as DNSSEC sees it: an ECDSA P-256 key pair (algorithm 13, RFC 6605) with its
// DNSKEY RDATA, key tag and role. A CSK signs everything; with KSK + ZSK the KSK signs the DNSKEY
// RRset and the ZSK the rest.
import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { keyTag } from './key-tag.js';

/** ECDSAP256SHA256. */
export const ALGORITHM_ECDSAP256SHA256 = 13;
/** DNSKEY flags: Zone Key (256), plus Secure Entry Point (1) for a KSK or CSK. */
export const FLAGS_ZSK = 256;
export const FLAGS_KSK = 257;

export type KeyRole = 'csk' | 'ksk' | 'zsk';

export interface DnssecKey {
  readonly role: KeyRole;
  readonly flags: number;
  readonly algorithm: typeof ALGORITHM_ECDSAP256SHA256;
  readonly keyTag: number;
  /** Flags, protocol 3, algorithm, then the 64-byte public key (x ‖ y). */
  readonly dnskeyRdata: Buffer;
  readonly privateKey: KeyObject;
}

/** The 64-byte x ‖ y form of a P-256 public key (RFC 6605 §4). */
export function rawPublicKey(publicKey: KeyObject): Buffer {
  const jwk = publicKey.export({ format: 'jwk' });
  if (jwk.crv !== 'P-256' || !jwk.x || !jwk.y) throw new TypeError('not a P-256 public key');
  return Buffer.concat([Buffer.from(jwk.x, 'base64url'), Buffer.from(jwk.y, 'base64url')]);
}

/** The DNSSEC view of a P-256 private key in a role. */
export function dnssecKey(privateKey: KeyObject, role: KeyRole): DnssecKey {
  if (privateKey.asymmetricKeyType !== 'ec' || privateKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1')
    throw new TypeError('a DNSSEC key here is an ECDSA P-256 private key');
  const flags = role === 'zsk' ? FLAGS_ZSK : FLAGS_KSK;
  const rdata = Buffer.concat([
    Buffer.from([flags >>> 8, flags & 0xff, 3, ALGORITHM_ECDSAP256SHA256]),
    rawPublicKey(createPublicKey(privateKey)),
  ]);
  return {
    role,
    flags,
    algorithm: ALGORITHM_ECDSAP256SHA256,
    keyTag: keyTag(rdata),
    dnskeyRdata: rdata,
    privateKey,
  };
}

/** A new P-256 key in `role` (what `meridian dnssec keygen` writes as PKCS#8 PEM). */
export function generateDnssecKey(role: KeyRole): DnssecKey {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return dnssecKey(privateKey, role);
}
