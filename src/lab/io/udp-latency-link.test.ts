import { createSocket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { untilTrue } from './test-support/until.js';
import { UdpLatencyLink } from './udp-latency-link.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function echoServer(): Promise<number> {
  const s = createSocket('udp4');
  s.on('message', (m, r) => s.send(Buffer.concat([Buffer.from('re:'), m]), r.port, r.address));
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  cleanups.push(() => new Promise<void>((r) => s.close(() => r())));
  return s.address().port;
}

const until = (cond: () => boolean, what: string, ms = 10_000) => untilTrue(cond, what, ms);

describe('UdpLatencyLink', () => {
  it('delays query and response by half the RTT each, in order, per client', async () => {
    const port = await echoServer();
    const rtt = 40;
    const link = new UdpLatencyLink({
      listenHost: '127.0.0.1',
      targetHost: '127.0.0.1',
      targetPort: port,
      rttMs: rtt,
    });
    await link.start();
    cleanups.push(() => link.stop());
    const clients = [createSocket('udp4'), createSocket('udp4')];
    const got: string[][] = [[], []];
    clients.forEach((c, i) => {
      c.on('message', (m) => got[i]!.push(m.toString()));
      cleanups.push(() => new Promise<void>((r) => c.close(() => r())));
    });
    const t0 = performance.now();
    let firstAt = 0;
    clients[0]!.once('message', () => {
      firstAt = performance.now();
    });
    for (let i = 0; i < 20; i++) {
      clients[0]!.send(`a${i}`, link.address.port, '127.0.0.1');
      clients[1]!.send(`b${i}`, link.address.port, '127.0.0.1');
    }
    await until(() => got[0]!.length === 20 && got[1]!.length === 20, 'all replies');
    expect(firstAt - t0).toBeGreaterThanOrEqual(rtt);
    expect(got[0]).toEqual(Array.from({ length: 20 }, (_, i) => `re:a${i}`));
    expect(got[1]).toEqual(Array.from({ length: 20 }, (_, i) => `re:b${i}`));
    expect(link.flows).toBe(2);
    expect(link.datagrams).toBe(40);
    await link.stop();
    expect(link.flows).toBe(0);
  });
});
