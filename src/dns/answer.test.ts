// The answer path without a socket, checked with dns-packet as an independent decoder.
import * as packet from 'dns-packet';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../core/index.js';
import { healthWith, policyWorld } from '../policy/test-support/policy-world.js';
import type { ClientAddress } from './answer.js';
import { DnsEngine } from './dns-engine.js';
import { DnsQuery } from './dns-query.js';

const world = policyWorld();
const localhost: ClientAddress = { family: 4, bytes: Uint8Array.from([127, 0, 0, 1]) };

function engine(health = healthWith(world)) {
  return new DnsEngine({ world, health, random: seededRandom(1) });
}

function ask(
  e: DnsEngine,
  name: string,
  type: string,
  opts: { ecs?: string; edns?: boolean; transport?: 'udp' | 'tcp'; client?: ClientAddress; id?: number } = {},
) {
  const edns = opts.edns ?? opts.ecs !== undefined;
  const ecs = opts.ecs?.split('/');
  const q = packet.encode({
    type: 'query',
    id: opts.id ?? 4242,
    flags: packet.RECURSION_DESIRED,
    questions: [{ type: type as 'A', name }],
    additionals: edns
      ? [
          {
            type: 'OPT',
            name: '.',
            udpPayloadSize: 1232,
            options: ecs ? [{ code: 'CLIENT_SUBNET', ip: ecs[0], sourcePrefixLength: Number(ecs[1]) }] : [],
          } as unknown as packet.Answer,
        ]
      : [],
  });
  const res = e.handle(new DnsQuery(), q, opts.client ?? localhost, opts.transport ?? 'udp');
  if (!res) return null;
  return { raw: res, msg: packet.decode(res) as unknown as Decoded };
}

/** dns-packet's decode result, with the fields its types leave out. */
type Decoded = packet.Packet & {
  rcode: string;
  flag_aa: boolean;
  flag_ra: boolean;
  flag_rd: boolean;
  flag_tc: boolean;
  answers?: (packet.Answer & { ttl?: number })[];
  authorities?: (packet.Answer & { ttl?: number })[];
};

const data = (msg: packet.Packet) => (msg.answers ?? []).map((a) => (a as { data: unknown }).data);

describe('answer path (no socket)', () => {
  it('answers the nearest region for an ECS client, echoing the option with the scope', () => {
    const r = ask(engine(), 'Links.Example.Test', 'A', { ecs: '203.0.113.0/24' })!;
    expect(r.msg.rcode).toBe('NOERROR');
    expect(r.msg.id).toBe(4242);
    expect(r.msg.flag_aa).toBe(true);
    expect(r.msg.flag_ra).toBe(false);
    expect(r.msg.flag_rd).toBe(true);
    expect(r.msg.questions?.[0]?.name).toBe('Links.Example.Test');
    expect(data(r.msg)).toEqual(['127.0.3.1']);
    expect(r.msg.answers?.[0]?.ttl).toBe(7);
    const opt = r.msg.additionals?.find((a) => a.type === 'OPT') as unknown as {
      options: { code: number; ip: string; sourcePrefixLength: number; scopePrefixLength: number }[];
    };
    expect(opt.options[0]).toMatchObject({
      ip: '203.0.113.0',
      sourcePrefixLength: 24,
      scopePrefixLength: 24,
    });
  });

  it('changes answers when the health table changes, and counts answers by region', () => {
    const e = engine();
    expect(data(ask(e, 'links.example.test', 'A', { ecs: '203.0.113.0/24' })!.msg)).toEqual(['127.0.3.1']);
    e.setHealth(healthWith(world, { down: ['af-south-1'], version: 2 }));
    expect(data(ask(e, 'links.example.test', 'A', { ecs: '203.0.113.0/24' })!.msg)).toEqual(['127.0.2.1']);
    expect(e.counters().chosen['links.example.test']).toEqual({ 'af-south-1': 1, 'eu-west-2': 1 });
    expect(e.counters().rcodes.NOERROR).toBe(2);
  });

  it('whenAllDown none gives NODATA with an SOA whose TTL does not outlive the hostname TTL', () => {
    const e = engine(healthWith(world, { down: ['us-west-2', 'eu-west-2', 'af-south-1'] }));
    const r = ask(e, 'links-none.example.test', 'A')!;
    expect(r.msg.rcode).toBe('NOERROR');
    expect(r.msg.answers).toEqual([]);
    expect(r.msg.authorities?.[0]).toMatchObject({ type: 'SOA', name: 'example.test' });
    expect(r.msg.authorities?.[0]?.ttl).toBeLessThanOrEqual(7);
    expect(e.counters().allDown['links-none.example.test']).toBe(1);
  });

  it('sticky rollout through the wire: every address of a /24 lands on the same side', () => {
    const e = engine();
    const sides = new Map<string, Set<string>>();
    for (let net = 0; net < 300; net++) {
      for (const host of [1, 77, 200]) {
        const client: ClientAddress = {
          family: 4,
          bytes: Uint8Array.from([100, net >> 8, net & 0xff, host]),
        };
        const r = ask(e, 'roll.example.test', 'A', { client })!;
        const set = sides.get(String(net)) ?? new Set<string>();
        set.add(String(data(r.msg)[0]));
        sides.set(String(net), set);
      }
    }
    expect([...sides.values()].every((s) => s.size === 1)).toBe(true);
  });

  it('NXDOMAIN vs NODATA, REFUSED outside the zone, the apex SOA/NS', () => {
    const e = engine();
    const nx = ask(e, 'nope.example.test', 'A')!.msg;
    expect(nx.rcode).toBe('NXDOMAIN');
    expect(nx.authorities?.[0]).toMatchObject({ type: 'SOA', name: 'example.test', ttl: 60 });
    expect(ask(e, 'api.example.test', 'TXT')!.msg.rcode).toBe('NOERROR');
    const refused = ask(e, 'example.com', 'A')!.msg;
    expect([refused.rcode, refused.flag_aa]).toEqual(['REFUSED', false]);
    expect(ask(e, 'xexample.test', 'A')!.msg.rcode).toBe('REFUSED');
    const ns = ask(e, 'example.test', 'NS')!.msg;
    expect(data(ns)).toEqual(['ns1.example.test']);
    expect(ns.additionals?.[0]).toMatchObject({ type: 'A', name: 'ns1.example.test', data: '127.0.0.1' });
    const soa = ask(e, 'EXAMPLE.test', 'SOA')!.msg;
    expect(soa.answers?.[0]).toMatchObject({ type: 'SOA', name: 'EXAMPLE.test' });
  });

  it('FORMERR, NOTIMP, BADVERS, and silence for responses and short packets', () => {
    const e = engine();
    const q = new DnsQuery();
    const base = packet.encode({
      type: 'query',
      id: 7,
      questions: [{ type: 'A', name: 'api.example.test' }],
    });
    const two = Buffer.from(base);
    two.writeUInt16BE(2, 4); // QDCOUNT 2 with one question
    expect((packet.decode(e.handle(q, two, localhost, 'udp')!) as unknown as Decoded).rcode).toBe('FORMERR');
    const status = Buffer.from(base);
    status[2] = (2 << 3) | status[2]!; // opcode STATUS
    expect((packet.decode(e.handle(q, status, localhost, 'udp')!) as unknown as Decoded).rcode).toBe(
      'NOTIMP',
    );
    const v1 = packet.encode({
      type: 'query',
      id: 8,
      questions: [{ type: 'A', name: 'api.example.test' }],
      additionals: [
        {
          type: 'OPT',
          name: '.',
          udpPayloadSize: 1232,
          extendedRcode: 0,
          ednsVersion: 1,
          flags: 0,
          options: [],
        } as unknown as packet.Answer,
      ],
    });
    const bad = e.handle(q, v1, localhost, 'udp')!;
    expect(bad[3]! & 0xf).toBe(0);
    const opt = packet.decode(bad).additionals?.find((a) => a.type === 'OPT') as unknown as {
      extendedRcode: number;
    };
    expect(opt.extendedRcode).toBe(1); // 1 << 4 | 0 = 16 = BADVERS
    const response = Buffer.from(base);
    response[2] = 0x80;
    expect(e.handle(q, response, localhost, 'udp')).toBeNull();
    expect(e.handle(q, Buffer.alloc(5), localhost, 'udp')).toBeNull();
  });

  it('sets TC over UDP when the answer exceeds 512 bytes without EDNS, and not over TCP', () => {
    const big = policyWorld(bigNsWorldYaml());
    const e = new DnsEngine({ world: big, health: healthWith(big) });
    const udp = ask(e, 'example.test', 'NS')!;
    expect(udp.msg.flag_tc).toBe(true);
    expect(udp.raw.length).toBeLessThanOrEqual(512);
    const tcp = ask(e, 'example.test', 'NS', { transport: 'tcp' })!;
    expect(tcp.msg.flag_tc).toBe(false);
    expect(tcp.msg.answers).toHaveLength(10);
    expect(ask(e, 'example.test', 'NS', { edns: true })!.msg.answers).toHaveLength(10);
  });
});

/** A zone with 10 in-zone name servers, each with A and AAAA glue (~1.1 kB of NS answer). */
function bigNsWorldYaml(): string {
  const nameservers = Array.from(
    { length: 10 },
    (_, i) => `    - { name: ns${i + 1}, address: 127.0.0.${i + 1}, address6: '::1' }`,
  ).join('\n');
  return `zone: example.test
home: a
regions:
  a: { cidr: 10.10.0.0/16, address: 127.0.1.1, location: { lat: 1, lon: 1 } }
hostnames:
  links: { workload: links }
services:
  links: { in: all }
dns:
  nameservers:
${nameservers}
`;
}
