// The answer path: decode → zone lookup → steering (classify the client, decide) → precomputed
// bytes → write. No socket: servers, tests and benchmarks call it directly. Everything about the
// client (ECS or source, location, rollout side, ECS scope) is steering's (meridian/policy); per
// query only the header, the question (copied, so the client's letter case is preserved) and the
// OPT/ECS record are written.
import { ClientClassification } from '../policy/index.js';
import { DECODE_DROP, type DnsQuery, decodeQuery } from './dns-query.js';
import type { DnsSnapshot } from './dns-snapshot.js';
import { pointer, type RecordSections } from './dns-zone.js';
import {
  CLASSIC_UDP_SIZE,
  EDNS_OPTION_ECS,
  EDNS_UDP_SIZE,
  FLAG_AA,
  FLAG_TC,
  QCLASS_ANY,
  QCLASS_IN,
  QTYPE_A,
  QTYPE_AAAA,
  QTYPE_ANY,
  QTYPE_AXFR,
  QTYPE_IXFR,
  QTYPE_SOA,
  RCODE_NOERROR,
  RCODE_NXDOMAIN,
  RCODE_REFUSED,
} from './wire-constants.js';

/** The address a query came from (used when it carries no ECS option). */
export interface ClientAddress {
  family: 4 | 6;
  bytes: Uint8Array;
}

/** Largest TCP message. */
export const TCP_MAX_SIZE = 65_535;

const EMPTY: RecordSections = { body: Buffer.alloc(0), an: 0, ns: 0, ar: 0 };

/** Filled by `classify` for each steered query, read right after (one thread: one struct). */
const classified = new ClientClassification();

/** The most a UDP response to `q` may carry. */
export function udpLimit(q: DnsQuery): number {
  if (!q.edns) return CLASSIC_UDP_SIZE;
  return Math.max(CLASSIC_UDP_SIZE, Math.min(q.udpSize, EDNS_UDP_SIZE));
}

/**
 * Decodes `packet` into `q` and answers it; null when it must not be answered (shorter than a
 * header, or not a query). `transport` sets the size limit (UDP: 512 or the EDNS size, TC when
 * over; TCP: 65 535).
 */
export function respond(
  snap: DnsSnapshot,
  q: DnsQuery,
  packet: Buffer,
  client: ClientAddress,
  transport: 'udp' | 'tcp',
): Buffer | null {
  const status = decodeQuery(packet, q);
  if (status === DECODE_DROP) return null;
  return answerQuery(snap, q, status, client, transport === 'udp' ? udpLimit(q) : TCP_MAX_SIZE);
}

/** Answers a decoded query; `status` is decodeQuery's result (an RCODE). */
export function answerQuery(
  snap: DnsSnapshot,
  q: DnsQuery,
  status: number,
  client: ClientAddress,
  maxSize: number,
): Buffer {
  const stats = snap.stats;
  if (status !== RCODE_NOERROR) {
    stats.rcodes[status] = (stats.rcodes[status] ?? 0) + 1;
    return write(q, status, false, EMPTY, -1, maxSize, snap);
  }
  if (q.qclass !== QCLASS_IN && q.qclass !== QCLASS_ANY) return refuse(q, maxSize, snap);
  const zone = snap.zone;
  const node = zone.nodes.get(q.nameKey);
  if (node === undefined) {
    if (!inZone(q.nameKey, zone.apexKey)) return refuse(q, maxSize, snap);
    stats.rcodes[RCODE_NXDOMAIN]! += 1;
    const offset = 12 + q.nameLength - zone.apexKey.length;
    const neg = { body: Buffer.concat([pointer(offset), zone.soaNegative]), an: 0, ns: 1, ar: 0 };
    return write(q, RCODE_NXDOMAIN, true, neg, 0, maxSize, snap);
  }
  const qtype = q.qtype;
  if (qtype === QTYPE_AXFR || qtype === QTYPE_IXFR) return refuse(q, maxSize, snap);
  const hostIndex = node.hostIndex;
  if (hostIndex >= 0 && (qtype === QTYPE_A || qtype === QTYPE_AAAA || qtype === QTYPE_ANY)) {
    const c = classified;
    snap.steering.classify(hostIndex, q, client, c);
    const answer = snap.hostAnswer(hostIndex, c.classId, c.inRollout);
    const sections = qtype === QTYPE_AAAA ? answer.aaaa : answer.a;
    stats.rcodes[RCODE_NOERROR]! += 1;
    if (answer.firstRegion >= 0) {
      const k = hostIndex * snap.world.regions.length + answer.firstRegion;
      stats.hostRegion[k]! += 1;
    }
    if (answer.allDown) stats.allDown[hostIndex]! += 1;
    const log = snap.decisions;
    if (log !== null) {
      if (q.ecs && q.ecsSourcePrefix > 0)
        log.count(answer.decisionId, q.ecsFamily === 1 ? 4 : 6, q.ecsAddress, log.nowMs);
      else log.count(answer.decisionId, client.family, client.bytes, log.nowMs);
    }
    return write(q, RCODE_NOERROR, true, sections ?? snap.hostNodata[hostIndex]!, c.scope, maxSize, snap);
  }
  // static names: apex SOA/NS, name-server addresses; ANY gets one RRset (RFC 8482)
  let sections = node.rrsets.get(qtype);
  if (!sections && qtype === QTYPE_ANY) {
    sections = node.rrsets.get(QTYPE_SOA) ?? node.rrsets.get(QTYPE_A) ?? node.rrsets.get(QTYPE_AAAA);
  }
  stats.rcodes[RCODE_NOERROR]! += 1;
  if (!sections) {
    const nodata = { body: Buffer.concat([pointer(node.apexOffset), zone.soaNegative]), an: 0, ns: 1, ar: 0 };
    return write(q, RCODE_NOERROR, true, nodata, 0, maxSize, snap);
  }
  return write(q, RCODE_NOERROR, true, sections, 0, maxSize, snap);
}

function refuse(q: DnsQuery, maxSize: number, snap: DnsSnapshot): Buffer {
  snap.stats.rcodes[RCODE_REFUSED]! += 1;
  return write(q, RCODE_REFUSED, false, EMPTY, 0, maxSize, snap);
}

/** True when the lowercase wire name `key` is the apex or below it (label-aligned suffix). */
function inZone(key: string, apexKey: string): boolean {
  if (!key.endsWith(apexKey)) return false;
  const target = key.length - apexKey.length;
  let o = 0;
  while (o < target) o += key.charCodeAt(o) + 1;
  return o === target;
}

/**
 * Writes a response. `scope` is the ECS scope prefix length to echo, or -1 to leave ECS out
 * (error responses). Over `maxSize`, the sections are dropped and TC is set. Into `q.out` when
 * the caller gave one and it fits (the batched UDP path: no allocation), else a new Buffer.
 */
function write(
  q: DnsQuery,
  rcode: number,
  aa: boolean,
  sec: RecordSections,
  scope: number,
  maxSize: number,
  snap: DnsSnapshot,
): Buffer {
  const packet = q.packet;
  const qlen = q.hasQuestion ? q.questionEnd - 12 : 0;
  const withEcs = q.ecs && scope >= 0;
  const optLen = q.edns ? 11 + (withEcs ? 4 + q.ecsLength : 0) : 0;
  let body = sec.body;
  let an = sec.an;
  let ns = sec.ns;
  let ar = sec.ar;
  let tc = 0;
  let total = 12 + qlen + body.length + optLen;
  if (total > maxSize) {
    tc = FLAG_TC;
    snap.stats.truncated[0]! += 1;
    total -= body.length;
    body = EMPTY.body;
    an = 0;
    ns = 0;
    ar = 0;
  }
  // into the query's own slot when it has one (the header is overwritten, the question stays)
  // and through the slot's DataView, four bytes at a time; else into a new Buffer, byte by byte
  const slot = q.out;
  const flags = 0x8000 | (q.opcode << 11) | (aa ? FLAG_AA : 0) | tc | (q.flags & 0x0110) | (rcode & 0xf);
  const arTotal = ar + (q.edns ? 1 : 0);
  const qd = qlen > 0 ? 1 : 0;
  let out: Buffer;
  let o = 12;
  if (slot !== null && total <= slot.capacity) {
    const inPlace = slot.last === packet;
    out = slot.view(total);
    const dv = slot.data;
    // QR, the query's opcode, RD and CD copied; RA and AD clear
    dv.setUint32(0, (q.id << 16) | flags);
    dv.setUint32(4, (qd << 16) | an);
    dv.setUint32(8, (ns << 16) | arTotal);
    if (inPlace) o += qlen;
    else for (let i = 12; i < 12 + qlen; i++) out[o++] = packet[i]!;
    o = putBody(out, o, body);
    if (q.edns) {
      dv.setUint32(o, (41 << 8) | (EDNS_UDP_SIZE >>> 8)); // root owner, type OPT, UDP size
      // extended RCODE (BADVERS = 16 → 1), version 0, DO copied (RFC 3225)
      dv.setUint32(o + 4, ((EDNS_UDP_SIZE & 0xff) << 24) | ((rcode >>> 4) << 16) | (q.dnssecOk ? 0x80 : 0));
      out[o + 8] = 0;
      if (withEcs) {
        const len = q.ecsLength;
        dv.setUint16(o + 9, 4 + len);
        dv.setUint32(o + 11, (EDNS_OPTION_ECS << 16) | len);
        putEcs(out, o + 15, q, scope);
      } else dv.setUint16(o + 9, 0);
    }
    return out;
  }
  out = Buffer.allocUnsafe(total);
  out[0] = q.id >>> 8;
  out[1] = q.id & 0xff;
  out[2] = flags >>> 8;
  out[3] = flags & 0xff;
  out[4] = 0;
  out[5] = qd;
  out[6] = an >>> 8;
  out[7] = an & 0xff;
  out[8] = ns >>> 8;
  out[9] = ns & 0xff;
  out[10] = arTotal >>> 8;
  out[11] = arTotal & 0xff;
  for (let i = 12; i < 12 + qlen; i++) out[o++] = packet[i]!;
  o = putBody(out, o, body);
  if (q.edns) {
    out[o] = 0; // root owner
    out[o + 1] = 0;
    out[o + 2] = 41;
    out[o + 3] = EDNS_UDP_SIZE >>> 8;
    out[o + 4] = EDNS_UDP_SIZE & 0xff;
    out[o + 5] = rcode >>> 4;
    out[o + 6] = 0;
    out[o + 7] = q.dnssecOk ? 0x80 : 0;
    out[o + 8] = 0;
    if (withEcs) {
      const len = q.ecsLength;
      const rdlen = 4 + len;
      out[o + 9] = rdlen >>> 8;
      out[o + 10] = rdlen & 0xff;
      out[o + 11] = 0;
      out[o + 12] = 8;
      out[o + 13] = len >>> 8;
      out[o + 14] = len & 0xff;
      putEcs(out, o + 15, q, scope);
    } else {
      out[o + 9] = 0;
      out[o + 10] = 0;
    }
  }
  return out;
}

/** Copies the precomputed sections; returns the offset past them. */
function putBody(out: Buffer, o: number, body: Buffer): number {
  const bl = body.length;
  if (bl > 8)
    out.set(body, o); // one builtin call: cheaper than a byte loop past a few bytes
  else for (let i = 0; i < bl; i++) out[o + i] = body[i]!;
  return o + bl;
}

/**
 * The ECS option data: FAMILY, SOURCE PREFIX-LENGTH, SCOPE, ADDRESS as decoded (the bytes of the
 * query, whose OPT an answer written in place has overwritten by now).
 */
function putEcs(out: Buffer, o: number, q: DnsQuery, scope: number): void {
  const family = q.ecsFamily;
  out[o] = family >>> 8;
  out[o + 1] = family & 0xff;
  out[o + 2] = q.ecsSourcePrefix;
  out[o + 3] = q.ecsSourcePrefix === 0 ? 0 : Math.min(scope, family === 1 ? 32 : 128);
  const addr = q.ecsAddress;
  const n = q.ecsLength - 4;
  for (let i = 0; i < n; i++) out[o + 4 + i] = addr[i]!;
}
