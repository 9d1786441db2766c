// The decoder's fast paths (name-key cache, reading from a BufferSlot) and answers written in
// place give exactly what the plain path gives.
import * as packet from 'dns-packet';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../core/index.js';
import { healthWith, policyWorld } from '../policy/test-support/policy-world.js';
import type { ClientAddress } from './answer.js';
import { DnsEngine } from './dns-engine.js';
import { BufferSlot, DECODE_DROP, DnsQuery, decodeQuery } from './dns-query.js';
import { encodeName } from './dns-zone.js';
import { fuzzPackets, seedQueries } from './test-support/fuzz-packets.js';

const client: ClientAddress = { family: 4, bytes: Uint8Array.from([192, 0, 2, 7]) };

function query(name: string, id = 1): Buffer {
  return packet.encode({ type: 'query', id, questions: [{ type: 'A', name }] });
}

/** Every field a decode sets, for comparison. */
function fields(q: DnsQuery, status: number) {
  return {
    status,
    id: q.id,
    flags: q.flags,
    hasQuestion: q.hasQuestion,
    questionEnd: q.questionEnd,
    nameLength: q.nameLength,
    nameKey: q.nameKey,
    qtype: q.qtype,
    qclass: q.qclass,
    edns: q.edns,
    udpSize: q.udpSize,
    dnssecOk: q.dnssecOk,
    ecs: q.ecs,
    ecsFamily: q.ecsFamily,
    ecsSourcePrefix: q.ecsSourcePrefix,
    ecsLength: q.ecsLength,
    ecsAddress: q.ecs ? Array.from(q.ecsAddress) : null,
  };
}

describe('decodeQuery name keys', () => {
  it('gives the lowercased wire name for many names and letter cases (more names than cache slots)', () => {
    const rnd = seededRandom(7);
    const q = new DnsQuery();
    for (let i = 0; i < 3000; i++) {
      const label = `host${i % 700}-${'x'.repeat(i % 40)}`;
      const name = [...`${label}.example.test`].map((c) => (rnd.next() < 0.3 ? c.toUpperCase() : c)).join('');
      expect(decodeQuery(query(name, i), q)).toBe(0);
      expect(q.nameKey).toBe(encodeName(name.toLowerCase()).toString('latin1'));
    }
  });

  it('tells apart names of the same length that differ in one byte, anywhere', () => {
    const q = new DnsQuery();
    const base = 'abcdefghijklmnop.example.test';
    for (let pos = 0; pos < 16; pos++) {
      const other = `${base.slice(0, pos)}z${base.slice(pos + 1)}`;
      decodeQuery(query(base), q);
      expect(q.nameKey).toBe(encodeName(base).toString('latin1'));
      decodeQuery(query(other), q);
      expect(q.nameKey).toBe(encodeName(other).toString('latin1'));
    }
  });
});

describe('the batched path (query read from a BufferSlot, answer written over it)', () => {
  it('decodes and answers every packet exactly as the plain path does', () => {
    const world = policyWorld();
    const health = healthWith(world);
    const plain = new DnsEngine({ world, health, random: seededRandom(1) });
    const slotted = new DnsEngine({ world, health, random: seededRandom(1) });
    const arena = new ArrayBuffer(4 * 65_536);
    const slot = new BufferSlot(arena, 2 * 65_536, 65_536, 1232);
    const input = Buffer.from(arena);
    const qa = new DnsQuery();
    const qb = new DnsQuery();
    qb.out = slot;
    const packets = [...seedQueries(), ...fuzzPackets(11, 20_000)];
    let answered = 0;
    for (const p of packets) {
      const a = plain.handle(qa, Buffer.from(p), client, 'udp');
      const fa = fields(qa, 0);
      input.set(p, 2 * 65_536);
      const view = slot.view(p.length);
      const b = slotted.handle(qb, view, client, 'udp');
      expect({ ...fields(qb, 0) }).toEqual(fa);
      if (a === null) {
        expect(b).toBeNull();
        continue;
      }
      expect(b).not.toBeNull();
      if (a.length <= 65_536) expect(b).toBe(slot.last); // written in place
      expect(Buffer.from(b!).equals(a)).toBe(true);
      answered++;
    }
    expect(answered).toBeGreaterThan(1000);
    expect(decodeQuery(Buffer.alloc(5), qb)).toBe(DECODE_DROP);
  });

  it('hands out one view per length, of exactly that length', () => {
    const slot = new BufferSlot(new ArrayBuffer(8192), 4096, 4096, 100);
    const a = slot.view(40);
    expect(a.length).toBe(40);
    expect(a.byteOffset).toBe(4096);
    expect(slot.view(40)).toBe(a);
    expect(slot.view(41)).not.toBe(a);
    expect(slot.view(3000).length).toBe(3000); // past `cached`: a fresh view
    expect(slot.last?.length).toBe(3000);
  });
});
