// Public surface of meridian/dnssec: ECDSA P-256 keys, DS records, RRSIGs over canonical RRsets,
// a signature cache, validity windows with jitter, and compact denial NSEC records (RFC 9824).
export { canonicalName, labelCount } from './canonical-name.js';
export {
  immediateSuccessor,
  nodataNsecRdata,
  nxnameNsecRdata,
  TYPE_NSEC,
  TYPE_NXNAME,
  TYPE_RRSIG,
} from './compact-denial.js';
export {
  ALGORITHM_ECDSAP256SHA256,
  type DnssecKey,
  dnssecKey,
  FLAGS_KSK,
  FLAGS_ZSK,
  generateDnssecKey,
  type KeyRole,
  rawPublicKey,
} from './dnssec-key.js';
export { type DsRecord, dsRecord, formatDs } from './ds-record.js';
export { keyTag } from './key-tag.js';
export { canonicalRrset, type RrsetToSign, type SignatureWindow, signRrset } from './sign-rrset.js';
export { SignatureCache, type SignatureCacheStats } from './signature-cache.js';
export { typeBitmap } from './type-bitmap.js';
export { DEFAULT_VALIDITY, type ValidityPolicy, validityWindow } from './validity-window.js';
