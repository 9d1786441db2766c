// Random and mutated DNS packets for fuzzing the decoder and the servers: bit flips,
// truncations, bad counts and lengths, compression loops, oversized labels, pure noise.
import * as packet from 'dns-packet';
import { seededRandom } from '../../core/index.js';

const NAMES = [
  'links.example.test',
  'LINKS.example.TEST',
  'example.test',
  'nope.example.test',
  'ns1.example.test',
  'www.example.com',
  'a.b.c.example.test',
  '.',
];
const TYPES = ['A', 'AAAA', 'NS', 'SOA', 'ANY', 'MX', 'TXT', 'AXFR'] as const;

/** Valid queries the mutations start from. */
export function seedQueries(): Buffer[] {
  const out: Buffer[] = [];
  let id = 1;
  for (const name of NAMES) {
    for (const type of TYPES) {
      out.push(
        packet.encode({
          type: 'query',
          id: id++,
          flags: packet.RECURSION_DESIRED,
          questions: [{ type: type as packet.RecordType, name }],
        }),
      );
      out.push(
        packet.encode({
          type: 'query',
          id: id++,
          questions: [{ type: type as packet.RecordType, name }],
          additionals: [
            {
              type: 'OPT',
              name: '.',
              udpPayloadSize: 4096,
              options: [
                {
                  code: 'CLIENT_SUBNET',
                  ip: id % 2 ? '203.0.113.0' : '2001:db8::',
                  sourcePrefixLength: id % 2 ? 24 : 56,
                },
              ],
            } as unknown as packet.Answer,
          ],
        }),
      );
    }
  }
  return out;
}

/** A generator of `count` fuzz packets from `seed` (deterministic). */
export function* fuzzPackets(seed: number, count: number): Generator<Buffer> {
  const rnd = seededRandom(seed);
  const seeds = seedQueries();
  const int = (n: number) => Math.floor(rnd.next() * n);
  for (let i = 0; i < count; i++) yield mutate(seeds[int(seeds.length)]!, int);
}

function mutate(base: Buffer, int: (n: number) => number): Buffer {
  const kind = int(10);
  let p = Buffer.from(base);
  switch (kind) {
    case 0: {
      // pure noise of any length up to 600
      p = Buffer.alloc(int(600));
      for (let j = 0; j < p.length; j++) p[j] = int(256);
      return p;
    }
    case 1: // truncation
      return p.subarray(0, int(p.length));
    case 2: {
      // bit flips
      const flips = 1 + int(8);
      for (let j = 0; j < flips; j++) {
        const at = int(p.length);
        p[at] = p[at]! ^ (1 << int(8));
      }
      return p;
    }
    case 3: {
      // random counts
      if (p.length >= 12) p.writeUInt16BE(int(65536), 4 + 2 * int(4));
      return p;
    }
    case 4: {
      // compression pointer loop in the question (points at itself or before)
      if (p.length > 14) {
        p[12] = 0xc0;
        p[13] = int(2) ? 12 : int(p.length);
      }
      return p;
    }
    case 5: {
      // an oversized label or name: 200 labels of 63 bytes
      const n = Buffer.alloc(12 + 200 * 64 + 5);
      p.copy(n, 0, 0, 12);
      let o = 12;
      for (let j = 0; j < 200; j++) {
        n[o] = int(2) ? 63 : 64 + int(192);
        o += 64;
      }
      return n;
    }
    case 6: {
      // garbage appended (extra records that are not there)
      const extra = Buffer.alloc(int(100));
      for (let j = 0; j < extra.length; j++) extra[j] = int(256);
      p.writeUInt16BE(1 + int(3), 10);
      return Buffer.concat([p, extra]);
    }
    case 7: {
      // bad lengths inside the OPT record / option (last bytes are rdlen + options)
      if (p.length > 30) {
        const at = p.length - 1 - int(Math.min(20, p.length - 13));
        p[at] = int(256);
        p[at - 1] = int(256);
      }
      return p;
    }
    case 8: {
      // flags: QR, opcodes, Z bits
      if (p.length >= 4) {
        p[2] = int(256);
        p[3] = int(256);
      }
      return p;
    }
    default: {
      // a few random byte overwrites
      const n = 1 + int(4);
      for (let j = 0; j < n; j++) p[int(p.length)] = int(256);
      return p;
    }
  }
}
