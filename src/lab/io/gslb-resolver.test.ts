import { createSocket } from 'node:dgram';
import dnsPacket from 'dns-packet';
import { afterEach, describe, expect, it } from 'vitest';
import { parseCidr, seededRandom } from '../../core/index.js';
import type { ResolverOrder } from '../rrset-order.js';
import { GslbResolver } from './gslb-resolver.js';

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

/** A name server on loopback that always answers near, far (TTL 60). */
async function twoAnswerServer(): Promise<number> {
  const s = createSocket('udp4');
  s.on('message', (msg, rinfo) => {
    const q = dnsPacket.decode(msg);
    const reply = dnsPacket.encode({
      type: 'response',
      id: q.id ?? 0,
      flags: dnsPacket.AUTHORITATIVE_ANSWER,
      questions: q.questions ?? [],
      answers: ['127.0.3.1', '127.0.2.1'].map((data) => ({
        type: 'A' as const,
        name: 'links.example.test',
        ttl: 60,
        data,
      })),
    });
    s.send(reply, rinfo.port, rinfo.address);
  });
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  stops.push(() => new Promise((r) => s.close(() => r())));
  return s.address().port;
}

async function firsts(order: ResolverOrder): Promise<Set<string>> {
  const port = await twoAnswerServer();
  const subnet = parseCidr('203.0.113.0/24');
  if (!subnet.ok) throw new Error(subnet.reason);
  const resolver = new GslbResolver({
    serverHost: '127.0.0.1',
    serverPort: port,
    subnet: subnet.value,
    order,
    random: seededRandom(7),
  });
  await resolver.start();
  stops.push(() => resolver.stop());
  const seen = new Set<string>();
  for (let i = 0; i < 20; i++) {
    const r = await resolver.resolve('links.example.test');
    if (!r.ok) throw new Error(r.reason);
    seen.add(r.addresses[0]!);
  }
  expect(resolver.queries).toBe(1); // the rest came from the cache
  return seen;
}

describe('GslbResolver RRset order', () => {
  it('keeps the name server order by default', async () => {
    expect(await firsts('keep')).toEqual(new Set(['127.0.3.1']));
  });

  it('rotates per reply, cached replies included, when the world says rotate', async () => {
    expect(await firsts('rotate')).toEqual(new Set(['127.0.3.1', '127.0.2.1']));
  });
});
