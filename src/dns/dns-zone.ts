// The zone's static part compiled to wire bytes: the name table (every name that exists, with
// its records or its hostname), SOA and NS at the apex, glue, and the negative-answer SOA.
import { parseAddress } from '../core/index.js';
import type { World } from '../world/index.js';
import { QTYPE_A, QTYPE_AAAA, QTYPE_NS, QTYPE_SOA } from './wire-constants.js';

/** Answer-section records and extra sections, ready to append after the question. */
export interface RecordSections {
  /** RR bytes of answer, authority and additional (without OPT), names already encoded. */
  readonly body: Buffer;
  readonly an: number;
  readonly ns: number;
  readonly ar: number;
}

/** A name that exists in the zone. */
export interface ZoneNode {
  /** Lowercase absolute name without the trailing dot. */
  readonly fqdn: string;
  /** Index into `world.hostnames` when the policy answers A/AAAA here, else -1. */
  readonly hostIndex: number;
  /** Static record sets by QTYPE (apex SOA/NS, name-server addresses). */
  readonly rrsets: ReadonlyMap<number, RecordSections>;
  /** Offset of the zone apex inside a question for this name (for SOA owner pointers). */
  readonly apexOffset: number;
}

export interface DnsZone {
  readonly apex: string;
  /** Lowercase wire form of the apex (latin1), the suffix every in-zone key ends with. */
  readonly apexKey: string;
  readonly nodes: ReadonlyMap<string, ZoneNode>;
  /** The SOA RR without its owner name: TYPE … RDATA (negative answers prepend a pointer). */
  readonly soaNegative: Buffer;
  readonly soaSerial: number;
  readonly negativeTtlSeconds: number;
}

/** Wire form of an absolute name (`a.b` → 1 a 1 b 0), lowercase. */
export function encodeName(fqdn: string): Buffer {
  const labels = fqdn === '' ? [] : fqdn.toLowerCase().split('.');
  const parts: number[] = [];
  for (const l of labels) {
    parts.push(l.length);
    for (let i = 0; i < l.length; i++) parts.push(l.charCodeAt(i) & 0xff);
  }
  parts.push(0);
  return Buffer.from(parts);
}

/** A compression pointer to `offset` in the message. */
export function pointer(offset: number): Buffer {
  return Buffer.from([0xc0 | (offset >>> 8), offset & 0xff]);
}

/** One RR: owner (wire bytes), type, class IN, ttl, rdata. */
export function rr(owner: Buffer, type: number, ttl: number, rdata: Buffer): Buffer {
  const head = Buffer.alloc(10);
  head.writeUInt16BE(type, 0);
  head.writeUInt16BE(1, 2);
  head.writeUInt32BE(ttl >>> 0, 4);
  head.writeUInt16BE(rdata.length, 8);
  return Buffer.concat([owner, head, rdata]);
}

/** RDATA of an A or AAAA record; throws on an address of the wrong family. */
export function addressRdata(address: string, family: 4 | 6): Buffer {
  const a = parseAddress(address);
  if (!a.ok || a.value.family !== family) throw new Error(`"${address}" is not an IPv${family} address`);
  return Buffer.from(a.value.bytes);
}

function absolute(name: string, zone: string): string {
  if (name.endsWith('.')) return name.slice(0, -1).toLowerCase();
  return name === '@' ? zone : `${name.toLowerCase()}.${zone}`;
}

function keyOf(fqdn: string): string {
  return encodeName(fqdn).toString('latin1');
}

/** Compiles the static part of the zone from a world. */
export function compileZone(world: World): DnsZone {
  const apex = world.zone;
  const dns = world.dns;
  const serial = dns.serial ?? Number.parseInt(world.hash.slice(0, 8), 16) >>> 0;
  const negTtl = dns.negativeTtlSeconds;
  const mname = encodeName(absolute(dns.nameservers[0]?.name ?? 'ns1', apex));
  const rname = encodeName(absolute(dns.hostmaster.replace('@', '.'), apex));
  const soaFixed = Buffer.alloc(20);
  soaFixed.writeUInt32BE(serial, 0);
  soaFixed.writeUInt32BE(3600, 4); // refresh
  soaFixed.writeUInt32BE(600, 8); // retry
  soaFixed.writeUInt32BE(604_800, 12); // expire
  soaFixed.writeUInt32BE(negTtl, 16); // minimum = negative-caching TTL (RFC 2308)
  const soaRdata = Buffer.concat([mname, rname, soaFixed]);
  // RFC 2308 §3: the SOA in a negative answer carries min(SOA TTL, SOA MINIMUM)
  const soaNegative = rr(Buffer.alloc(0), QTYPE_SOA, Math.min(dns.ttlSeconds, negTtl), soaRdata);

  const names = new Map<string, { fqdn: string; hostIndex: number; rrsets: Map<number, RecordSections> }>();
  const ensure = (fqdn: string) => {
    let n = names.get(fqdn);
    if (!n) {
      n = { fqdn, hostIndex: -1, rrsets: new Map() };
      names.set(fqdn, n);
    }
    return n;
  };
  const inZone = (fqdn: string) => fqdn === apex || fqdn.endsWith(`.${apex}`);
  // name-server addresses (in-zone ones are glue)
  const glueA: Buffer[] = [];
  const glueAAAA: Buffer[] = [];
  const nsRdatas: Buffer[] = [];
  const nsAddr = new Map<string, { a: Buffer[]; aaaa: Buffer[] }>();
  for (const ns of dns.nameservers) {
    const fqdn = absolute(ns.name, apex);
    nsRdatas.push(encodeName(fqdn));
    if (!inZone(fqdn)) continue;
    const entry = nsAddr.get(fqdn) ?? { a: [], aaaa: [] };
    entry.a.push(addressRdata(ns.address, 4));
    glueA.push(rr(encodeName(fqdn), QTYPE_A, dns.ttlSeconds, addressRdata(ns.address, 4)));
    if (ns.address6) {
      entry.aaaa.push(addressRdata(ns.address6, 6));
      glueAAAA.push(rr(encodeName(fqdn), QTYPE_AAAA, dns.ttlSeconds, addressRdata(ns.address6, 6)));
    }
    nsAddr.set(fqdn, entry);
  }
  const apexNode = ensure(apex);
  // owner names of answers are the question (pointer 0x0c); the question starts at offset 12
  const q = pointer(12);
  apexNode.rrsets.set(QTYPE_SOA, {
    body: rr(q, QTYPE_SOA, dns.ttlSeconds, soaRdata),
    an: 1,
    ns: 0,
    ar: 0,
  });
  apexNode.rrsets.set(QTYPE_NS, {
    body: Buffer.concat([...nsRdatas.map((d) => rr(q, QTYPE_NS, dns.ttlSeconds, d)), ...glueA, ...glueAAAA]),
    an: nsRdatas.length,
    ns: 0,
    ar: glueA.length + glueAAAA.length,
  });
  for (const [fqdn, addrs] of nsAddr) {
    const node = ensure(fqdn);
    if (addrs.a.length > 0) {
      node.rrsets.set(QTYPE_A, {
        body: Buffer.concat(addrs.a.map((d) => rr(q, QTYPE_A, dns.ttlSeconds, d))),
        an: addrs.a.length,
        ns: 0,
        ar: 0,
      });
    }
    if (addrs.aaaa.length > 0) {
      node.rrsets.set(QTYPE_AAAA, {
        body: Buffer.concat(addrs.aaaa.map((d) => rr(q, QTYPE_AAAA, dns.ttlSeconds, d))),
        an: addrs.aaaa.length,
        ns: 0,
        ar: 0,
      });
    }
  }
  world.hostnames.forEach((h, index) => {
    ensure(h.fqdn).hostIndex = index;
  });
  // empty non-terminals: every ancestor of a name, up to the apex, exists (NODATA, not NXDOMAIN)
  for (const fqdn of [...names.keys()]) {
    let n = fqdn;
    while (n !== apex && n.includes('.')) {
      n = n.slice(n.indexOf('.') + 1);
      if (!inZone(n)) break;
      ensure(n);
    }
  }
  const apexLen = encodeName(apex).length;
  const nodes = new Map<string, ZoneNode>();
  for (const n of names.values()) {
    const len = encodeName(n.fqdn).length;
    nodes.set(keyOf(n.fqdn), { ...n, apexOffset: 12 + len - apexLen });
  }
  return { apex, apexKey: keyOf(apex), nodes, soaNegative, soaSerial: serial, negativeTtlSeconds: negTtl };
}
