// Fuzz: mutated and random packets through the answer path (in process) and through a running
// UDP/TCP server; nothing may throw, hang or stop answering. CI runs a reduced count.
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import * as packet from 'dns-packet';
import { describe, expect, it } from 'vitest';
import { healthWith, policyWorld } from '../policy/test-support/policy-world.js';
import { DnsEngine } from './dns-engine.js';
import { DnsQuery } from './dns-query.js';
import { TcpServer } from './io/tcp-server.js';
import { UdpServer } from './io/udp-server.js';
import { fuzzPackets } from './test-support/fuzz-packets.js';

const CI = Boolean(process.env.CI);
const IN_PROCESS = CI ? 20_000 : 200_000;
const OVER_UDP = CI ? 20_000 : 50_000;
const world = policyWorld();

describe('fuzz', () => {
  it(`${IN_PROCESS} mutated packets through the answer path: no throw, every answer decodable`, () => {
    const errors: unknown[] = [];
    const e = new DnsEngine({ world, health: healthWith(world), onError: (x) => errors.push(x) });
    const q = new DnsQuery();
    const client = { family: 4 as const, bytes: Uint8Array.from([127, 0, 0, 1]) };
    let answered = 0;
    let undecodable = 0;
    for (const p of fuzzPackets(1, IN_PROCESS)) {
      const res = e.handle(q, p, client, 'udp');
      if (!res) continue;
      answered++;
      expect(res.length).toBeLessThanOrEqual(1232);
      if (answered % 50 === 0) {
        try {
          packet.decode(res);
        } catch {
          undecodable++;
        }
      }
    }
    expect(errors).toEqual([]);
    expect(undecodable).toBe(0);
    expect(answered).toBeGreaterThan(IN_PROCESS / 4);
  });

  it(`${OVER_UDP} packets at a running server (UDP and TCP), which still answers afterwards`, async () => {
    const errors: unknown[] = [];
    const engine = new DnsEngine({ world, health: healthWith(world), onError: (x) => errors.push(x) });
    const udp = new UdpServer({ host: '127.0.0.1', port: 0, handler: engine, recvBufferBytes: 4 << 20 });
    await udp.start();
    const tcp = new TcpServer({ host: '127.0.0.1', port: 0, handler: engine, idleTimeoutMs: 500 });
    await tcp.start();
    const sock = createSocket('udp4');
    let replies = 0;
    sock.on('message', () => replies++);
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
    try {
      let sent = 0;
      const gen = fuzzPackets(2, OVER_UDP);
      // bounded window: send 200, then wait for the server to catch up via a real query
      for (;;) {
        let batch = 0;
        // next() by hand: a for-of that breaks would close the generator
        for (let n = gen.next(); !n.done; n = gen.next()) {
          sock.send(n.value, udp.port, '127.0.0.1');
          sent++;
          if (++batch >= 100) break;
        }
        if (batch === 0) break;
        expect(await probe(sock, udp.port)).toBe(true);
      }
      expect(sent).toBe(OVER_UDP);
      // TCP: the same packets framed, several connections, including bad frames
      const tcpGen = fuzzPackets(3, CI ? 500 : 2000);
      for (let c = 0; c < 10; c++) {
        const chunks: Buffer[] = [];
        for (let n = tcpGen.next(); !n.done; n = tcpGen.next()) {
          const p = n.value;
          const f = Buffer.alloc(2 + p.length);
          f.writeUInt16BE(c === 9 ? 65_535 : p.length, 0); // the last connection lies about length
          p.copy(f, 2);
          chunks.push(f);
          if (chunks.length >= 200) break;
        }
        await new Promise<void>((resolve) => {
          const s = connect(tcp.port, '127.0.0.1', () => s.end(Buffer.concat(chunks)));
          s.on('data', () => {});
          s.on('close', () => resolve());
          s.on('error', () => resolve());
        });
      }
      expect(await probe(sock, udp.port)).toBe(true);
      expect(errors).toEqual([]);
      expect(replies).toBeGreaterThan(0);
    } finally {
      sock.close();
      await udp.stop();
      await tcp.stop();
    }
  });
});

let probeId = 1;
/** Sends a real query (up to 10 tries, 1 s apart: UDP may drop under a burst) and waits for its answer. */
async function probe(sock: ReturnType<typeof createSocket>, port: number): Promise<boolean> {
  for (let i = 0; i < 10; i++) if (await probeOnce(sock, port)) return true;
  return false;
}

function probeOnce(sock: ReturnType<typeof createSocket>, port: number): Promise<boolean> {
  probeId = (probeId + 1) & 0xffff;
  const id = probeId;
  const q = packet.encode({ type: 'query', id, questions: [{ type: 'A', name: 'api.example.test' }] });
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      sock.off('message', on);
      resolve(false);
    }, 1_000);
    const on = (m: Buffer) => {
      if (m.length >= 12 && m.readUInt16BE(0) === id && (m[2]! & 0x80) !== 0) {
        clearTimeout(timer);
        sock.off('message', on);
        resolve(true);
      }
    };
    sock.on('message', on);
    sock.send(q, port, '127.0.0.1');
  });
}
