// The query decoder: header, the one question, and the OPT record with its Client Subnet
// option. Hand-written for the hot path: it fills a reused DnsQuery and allocates nothing for a
// name it has seen before (the lowercased question name, the key of the zone's name table, comes
// from a small cache keyed by the name's wire bytes).
import {
  EDNS_OPTION_ECS,
  FLAG_QR,
  QTYPE_OPT,
  RCODE_BADVERS,
  RCODE_FORMERR,
  RCODE_NOERROR,
  RCODE_NOTIMP,
} from './wire-constants.js';

/** What decodeQuery concluded: answer it, answer with an error RCODE, or drop it silently. */
export const DECODE_OK = 0;
export const DECODE_DROP = -1;

/** A decoded query; one instance is reused for every packet a server reads. */
export class DnsQuery {
  /** The raw packet (not copied). */
  packet: Buffer = Buffer.alloc(0);
  id = 0;
  /** Header flags word as received. */
  flags = 0;
  opcode = 0;
  /** True once the question was parsed (error responses echo it then). */
  hasQuestion = false;
  /** Offset just past QCLASS: the question occupies packet[12 … questionEnd). */
  questionEnd = 12;
  /** Length of QNAME in wire form (labels + root byte). */
  nameLength = 0;
  /** Lowercased QNAME in wire form, as a latin1 string. */
  nameKey = '';
  qtype = 0;
  qclass = 0;
  edns = false;
  ednsVersion = 0;
  udpSize = 0;
  dnssecOk = false;
  ecs = false;
  ecsFamily = 0;
  ecsSourcePrefix = 0;
  /** Offset of the ECS option data (FAMILY …) in `packet`, and its length. */
  ecsOffset = 0;
  ecsLength = 0;
  /** The ECS address, zero-padded to 4 or 16 bytes. */
  readonly ecsAddress = new Uint8Array(16);
  /** The same 16 bytes as four words (cleared with four stores, not a `fill` call). */
  readonly ecsWords = new Int32Array(this.ecsAddress.buffer);
  /**
   * Set by a caller that sends from a reused buffer (the batched UDP path): the response is
   * written into this slot when it fits, instead of into a new Buffer.
   */
  out: BufferSlot | null = null;

  reset(packet: Buffer): void {
    this.packet = packet;
    this.id = 0;
    this.flags = 0;
    this.opcode = 0;
    this.hasQuestion = false;
    this.questionEnd = 12;
    this.nameLength = 0;
    this.nameKey = '';
    this.qtype = 0;
    this.qclass = 0;
    this.edns = false;
    this.ednsVersion = 0;
    this.udpSize = 0;
    this.dnssecOk = false;
    this.ecs = false;
    this.ecsFamily = 0;
    this.ecsSourcePrefix = 0;
    this.ecsOffset = 0;
    this.ecsLength = 0;
  }
}

/**
 * A fixed region of a reused buffer (a slot of the batched UDP listener). `view(n)` is a Buffer
 * of its first n bytes: for n up to `cached` made once and then reused, so reading a datagram
 * from the slot or writing a response into it costs no allocation and still has an exact
 * length. `last` is the view handed out last (the listener clears it before each query: a
 * response that is `last` was written in place and needs no copy).
 */
export class BufferSlot {
  readonly buffer: ArrayBuffer;
  readonly offset: number;
  readonly capacity: number;
  /** The slot as a DataView: the decoder reads a packet from the slot four bytes at a time. */
  readonly data: DataView;
  last: Buffer | null = null;
  readonly #views: (Buffer | undefined)[];

  constructor(buffer: ArrayBuffer, offset: number, capacity: number, cached: number) {
    this.buffer = buffer;
    this.offset = offset;
    this.capacity = capacity;
    this.data = new DataView(buffer, offset, capacity);
    this.#views = new Array<Buffer | undefined>(Math.min(cached, capacity) + 1);
  }

  /** The first `length` bytes of the slot (0 ≤ length ≤ capacity). */
  view(length: number): Buffer {
    const views = this.#views;
    let v = length < views.length ? views[length] : undefined;
    if (v === undefined) {
      v = Buffer.from(this.buffer, this.offset, length);
      if (length < views.length) views[length] = v;
    }
    this.last = v;
    return v;
  }
}

/**
 * Decodes `packet` into `q`. Returns DECODE_OK, DECODE_DROP (shorter than a header, or a
 * response: never answered, so we cannot be made to loop), or an RCODE to answer with
 * (FORMERR, NOTIMP, BADVERS).
 */
export function decodeQuery(packet: Buffer, q: DnsQuery): number {
  q.reset(packet);
  const len = packet.length;
  if (len < 12) return DECODE_DROP;
  // a packet read from a BufferSlot (the batched UDP path) is read through the slot's DataView,
  // four bytes at a time: cheaper than byte by byte
  const slot = q.out;
  const dv = slot !== null && slot.last === packet ? slot.data : null;
  let w0: number;
  let w1: number;
  let w2: number;
  if (dv !== null) {
    w0 = dv.getUint32(0);
    w1 = dv.getUint32(4);
    w2 = dv.getUint32(8);
  } else {
    w0 = u32(packet, 0);
    w1 = u32(packet, 4);
    w2 = u32(packet, 8);
  }
  const flags = w0 & 0xffff;
  if ((flags & FLAG_QR) !== 0) return DECODE_DROP;
  q.id = w0 >>> 16;
  q.flags = flags;
  q.opcode = (flags >>> 11) & 0xf;
  if (q.opcode !== 0) return RCODE_NOTIMP;
  const qd = w1 >>> 16;
  const an = w1 & 0xffff;
  const ns = w2 >>> 16;
  const ar = w2 & 0xffff;
  if (qd !== 1 || an !== 0 || ns !== 0) return RCODE_FORMERR;
  // QNAME: plain labels only (a compression pointer in the only question is malformed)
  let o = 12;
  for (;;) {
    if (o >= len) return RCODE_FORMERR;
    const l = packet[o]!;
    if (l === 0) {
      o += 1;
      break;
    }
    if (l > 63) return RCODE_FORMERR;
    o += l + 1;
    if (o - 12 > 254) return RCODE_FORMERR;
  }
  if (o + 4 > len) return RCODE_FORMERR;
  q.nameLength = o - 12;
  q.nameKey = nameKey(packet, dv, 12, o);
  const typeClass = dv !== null ? dv.getUint32(o) : u32(packet, o);
  q.qtype = typeClass >>> 16;
  q.qclass = typeClass & 0xffff;
  o += 4;
  q.questionEnd = o;
  q.hasQuestion = true;
  for (let i = 0; i < ar; i++) {
    // owner name: skip labels up to the root or a pointer (never followed)
    const owner = o;
    for (;;) {
      if (o >= len) return RCODE_FORMERR;
      const l = packet[o]!;
      if (l === 0) {
        o += 1;
        break;
      }
      if ((l & 0xc0) === 0xc0) {
        o += 2;
        break;
      }
      if (l > 63) return RCODE_FORMERR;
      o += l + 1;
    }
    if (o + 10 > len) return RCODE_FORMERR;
    const type = r16(packet, dv, o);
    const rdlen = r16(packet, dv, o + 8);
    const rdata = o + 10;
    const end = rdata + rdlen;
    if (end > len) return RCODE_FORMERR;
    if (type === QTYPE_OPT) {
      if (q.edns || o !== owner + 1) return RCODE_FORMERR; // one OPT, owned by the root
      q.edns = true;
      q.udpSize = r16(packet, dv, o + 2);
      q.ednsVersion = packet[o + 5]!;
      q.dnssecOk = (packet[o + 6]! & 0x80) !== 0;
      let p = rdata;
      while (p < end) {
        if (p + 4 > end) return RCODE_FORMERR;
        const code = r16(packet, dv, p);
        const olen = r16(packet, dv, p + 2);
        const data = p + 4;
        if (data + olen > end) return RCODE_FORMERR;
        if (code === EDNS_OPTION_ECS) {
          if (q.ecs || !decodeEcs(packet, data, olen, q)) return RCODE_FORMERR;
        }
        p = data + olen;
      }
    }
    o = end;
  }
  if (q.edns && q.ednsVersion > 0) return RCODE_BADVERS;
  return RCODE_NOERROR;
}

/** RFC 7871 §6/§7.1: a known family, prefix within it, address exactly as long as the prefix needs, host bits zero. */
function decodeEcs(packet: Buffer, data: number, olen: number, q: DnsQuery): boolean {
  if (olen < 4) return false;
  const family = u16(packet, data);
  const source = packet[data + 2]!;
  const max = family === 1 ? 32 : family === 2 ? 128 : -1;
  if (max < 0 || source > max) return false;
  const bytes = (source + 7) >>> 3;
  if (olen - 4 !== bytes) return false;
  const addr = q.ecsAddress;
  const words = q.ecsWords;
  words[0] = 0;
  words[1] = 0;
  words[2] = 0;
  words[3] = 0;
  for (let i = 0; i < bytes; i++) addr[i] = packet[data + 4 + i]!;
  const rest = source & 7;
  if (rest !== 0 && (addr[bytes - 1]! & (0xff >>> rest)) !== 0) return false;
  q.ecs = true;
  q.ecsFamily = family;
  q.ecsSourcePrefix = source;
  q.ecsOffset = data;
  q.ecsLength = olen;
  return true;
}

/** Big-endian 16 bits at `o` (the caller has checked the bounds); inlined, unlike readUInt16BE. */
function u16(packet: Buffer, o: number): number {
  return (packet[o]! << 8) | packet[o + 1]!;
}

/** u16 through the slot's DataView when there is one. */
function r16(packet: Buffer, dv: DataView | null, o: number): number {
  return dv !== null ? dv.getUint16(o) : u16(packet, o);
}

/** Big-endian 32 bits at `o`, as an unsigned number. */
function u32(packet: Buffer, o: number): number {
  return ((packet[o]! << 24) | (packet[o + 1]! << 16) | (packet[o + 2]! << 8) | packet[o + 3]!) >>> 0;
}

// The name-key cache: direct-mapped, KEY_SLOTS entries of the raw wire name (as received, so a
// hit returns exactly what lowerKey would) as big-endian 32-bit words, the last one zero-padded,
// and its key. Bounded: KEY_SLOTS × 256 bytes and KEY_SLOTS strings.
const KEY_SLOTS = 256;
const KEY_WORDS = 64; // a wire name is at most 255 bytes
const keyWords = new Int32Array(KEY_SLOTS * KEY_WORDS);
const keyLengths = new Int32Array(KEY_SLOTS);
const keyStrings: string[] = new Array<string>(KEY_SLOTS).fill('');
const scratch = new Int32Array(KEY_WORDS);

/**
 * The lowercased key of the wire name packet[start … end), from the cache when it was seen.
 * Reads up to 3 bytes past `end` (the decoder has checked that QTYPE and QCLASS follow).
 */
function nameKey(packet: Buffer, dv: DataView | null, start: number, end: number): string {
  const n = end - start;
  const words = (n + 3) >>> 2;
  let h = n;
  for (let k = 0; k < words; k++) {
    const pos = start + 4 * k;
    let w = dv !== null ? dv.getInt32(pos) : u32(packet, pos) | 0;
    const rest = end - pos;
    if (rest < 4) w &= ~(-1 >>> (rest * 8));
    scratch[k] = w;
    h = Math.imul(h ^ w, 0x9e3779b1);
  }
  const slot = (h ^ (h >>> 15) ^ (h >>> 24)) & (KEY_SLOTS - 1);
  const base = slot * KEY_WORDS;
  if (keyLengths[slot] === n) {
    let k = 0;
    while (k < words && keyWords[base + k] === scratch[k]) k++;
    if (k === words) return keyStrings[slot]!;
  }
  const key = lowerKey(packet, start, end);
  for (let k = 0; k < words; k++) keyWords[base + k] = scratch[k]!;
  keyLengths[slot] = n;
  keyStrings[slot] = key;
  return key;
}

function lowerKey(packet: Buffer, start: number, end: number): string {
  // fast path: most names arrive in lowercase already
  for (let i = start; i < end; i++) {
    const c = packet[i]!;
    if (c >= 0x41 && c <= 0x5a) return packet.toString('latin1', start, end).toLowerCase();
  }
  return packet.toString('latin1', start, end);
}
