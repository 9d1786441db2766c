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
 * (error responses). Over `maxSize`, the sections are dropped and TC is set.
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
  const out = Buffer.allocUnsafe(total);
  // byte stores and short copy loops: cheaper than Buffer helpers for a few dozen bytes
  const flags = 0x8000 | (q.opcode << 11) | (aa ? FLAG_AA : 0) | tc | (q.flags & 0x0110) | (rcode & 0xf);
  const arTotal = ar + (q.edns ? 1 : 0);
  out[0] = q.id >>> 8;
  out[1] = q.id & 0xff;
  out[2] = flags >>> 8; // QR, the query's opcode, RD and CD copied; RA and AD clear
  out[3] = flags & 0xff;
  out[4] = 0;
  out[5] = qlen > 0 ? 1 : 0;
  out[6] = an >>> 8;
  out[7] = an & 0xff;
  out[8] = ns >>> 8;
  out[9] = ns & 0xff;
  out[10] = arTotal >>> 8;
  out[11] = arTotal & 0xff;
  let o = 12;
  for (let i = 12; i < 12 + qlen; i++) out[o++] = packet[i]!;
  const bl = body.length;
  if (bl > 64) o += body.copy(out, o);
  else for (let i = 0; i < bl; i++) out[o++] = body[i]!;
  if (q.edns) {
    out[o] = 0; // root owner
    out[o + 1] = 0;
    out[o + 2] = 41;
    out[o + 3] = EDNS_UDP_SIZE >>> 8;
    out[o + 4] = EDNS_UDP_SIZE & 0xff;
    out[o + 5] = rcode >>> 4; // extended RCODE (BADVERS = 16 → 1)
    out[o + 6] = 0; // version 0
    out[o + 7] = q.dnssecOk ? 0x80 : 0; // DO copied (RFC 3225)
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
      const from = q.ecsOffset;
      for (let i = 0; i < len; i++) out[o + 15 + i] = packet[from + i]!;
      const max = q.ecsFamily === 1 ? 32 : 128;
      out[o + 18] = q.ecsSourcePrefix === 0 ? 0 : Math.min(scope, max);
    } else {
      out[o + 9] = 0;
      out[o + 10] = 0;
    }
  }
  return out;
}
