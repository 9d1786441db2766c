// The DS record a parent zone publishes for a key (RFC 4034 §5, digest type 2 = SHA-256, RFC 4509).
import { createHash } from 'node:crypto';
import { canonicalName } from './canonical-name.js';
import type { DnssecKey } from './dnssec-key.js';

export interface DsRecord {
  readonly keyTag: number;
  readonly algorithm: number;
  readonly digestType: 2;
  /** Uppercase hex, as zone files and registrars show it. */
  readonly digest: string;
}

/** The SHA-256 DS of `key` at zone `apex`. */
export function dsRecord(apex: string, key: DnssecKey): DsRecord {
  const digest = createHash('sha256').update(canonicalName(apex)).update(key.dnskeyRdata).digest('hex');
  return { keyTag: key.keyTag, algorithm: key.algorithm, digestType: 2, digest: digest.toUpperCase() };
}

/** The presentation line: `example.test. IN DS 12345 13 2 ABCD…`. */
export function formatDs(apex: string, ds: DsRecord): string {
  const owner = apex.endsWith('.') ? apex : `${apex}.`;
  return `${owner} IN DS ${ds.keyTag} ${ds.algorithm} ${ds.digestType} ${ds.digest}`;
}
