// Compact denial of existence (RFC 9824), as Cloudflare and NS1 answer: one NSEC at the query
// name whose next name is the name's immediate successor (`\000.<name>`), so no other name is
// disclosed and each answer needs one signature. A name that does not exist is answered NOERROR
// with the NXNAME meta type (128) in the bitmap; a name without the queried type lists its types.
import { typeBitmap } from './type-bitmap.js';

export const TYPE_NSEC = 47;
export const TYPE_RRSIG = 46;
/** RFC 9824 §2: the NXNAME meta type that marks a name as nonexistent. */
export const TYPE_NXNAME = 128;

/** The immediate successor of a canonical wire name: `\000.` prepended (RFC 4034 §6.1). */
export function immediateSuccessor(owner: Buffer): Buffer {
  return Buffer.concat([Buffer.from([1, 0]), owner]);
}

/** NSEC RDATA for a name that does not exist: next `\000.<name>`, types RRSIG NSEC NXNAME. */
export function nxnameNsecRdata(owner: Buffer): Buffer {
  return Buffer.concat([immediateSuccessor(owner), typeBitmap([TYPE_RRSIG, TYPE_NSEC, TYPE_NXNAME])]);
}

/** NSEC RDATA for a name that exists with `types` (NODATA): those types plus RRSIG and NSEC. */
export function nodataNsecRdata(owner: Buffer, types: Iterable<number>): Buffer {
  return Buffer.concat([immediateSuccessor(owner), typeBitmap([...types, TYPE_RRSIG, TYPE_NSEC])]);
}
