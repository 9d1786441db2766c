// One RRSIG over one RRset (RFC 4034 §3 and §6, RFC 6605): the RRSIG RDATA with its signature.
// Records are put in canonical form and order here; names inside RDATA must already be in
// canonical form (lowercase, uncompressed), as this module builds them.
import { sign } from 'node:crypto';
import { labelCount } from './canonical-name.js';
import type { DnssecKey } from './dnssec-key.js';

/** The class of every record Meridian serves. */
const CLASS_IN = 1;

export interface RrsetToSign {
  /** Canonical wire form of the owner name (see `canonicalName`). */
  readonly owner: Buffer;
  readonly type: number;
  readonly ttl: number;
  readonly rdatas: readonly Buffer[];
}

/** Inception and expiration, in seconds since the epoch (RFC 1982 arithmetic on the wire). */
export interface SignatureWindow {
  readonly inception: number;
  readonly expiration: number;
}

/** The records of `rrset` in canonical form and order (RFC 4034 §6.3), duplicates removed. */
export function canonicalRrset(rrset: RrsetToSign): Buffer {
  const sorted = [...rrset.rdatas].sort(Buffer.compare);
  const parts: Buffer[] = [];
  let previous: Buffer | undefined;
  for (const rdata of sorted) {
    if (previous?.equals(rdata)) continue;
    previous = rdata;
    const head = Buffer.alloc(10);
    head.writeUInt16BE(rrset.type, 0);
    head.writeUInt16BE(CLASS_IN, 2);
    head.writeUInt32BE(rrset.ttl >>> 0, 4);
    head.writeUInt16BE(rdata.length, 8);
    parts.push(rrset.owner, head, rdata);
  }
  return Buffer.concat(parts);
}

/** The RRSIG RDATA fields before the signature (RFC 4034 §3.1.8.1). */
function rrsigHead(rrset: RrsetToSign, key: DnssecKey, signer: Buffer, window: SignatureWindow): Buffer {
  const head = Buffer.alloc(18);
  head.writeUInt16BE(rrset.type, 0);
  head[2] = key.algorithm;
  head[3] = labelCount(rrset.owner);
  head.writeUInt32BE(rrset.ttl >>> 0, 4);
  head.writeUInt32BE(window.expiration >>> 0, 8);
  head.writeUInt32BE(window.inception >>> 0, 12);
  head.writeUInt16BE(key.keyTag, 16);
  return Buffer.concat([head, signer]);
}

/**
 * The RRSIG RDATA for `rrset`, signed by `key` for the zone whose canonical apex is `signer`:
 * an ECDSA P-256 signature over SHA-256, in the 64-byte r ‖ s form (IEEE P1363) RFC 6605 uses.
 */
export function signRrset(
  rrset: RrsetToSign,
  key: DnssecKey,
  signer: Buffer,
  window: SignatureWindow,
): Buffer {
  const head = rrsigHead(rrset, key, signer, window);
  const signature = sign('sha256', Buffer.concat([head, canonicalRrset(rrset)]), {
    key: key.privateKey,
    dsaEncoding: 'ieee-p1363',
  });
  return Buffer.concat([head, signature]);
}
