import dnsPacket from 'dns-packet';
import { describe, expect, it } from 'vitest';
import { ManualClock, parseCidr } from '../core/index.js';
import { decodeGslbAnswer, encodeGslbQuery } from './gslb-query.js';
import { ResolverCache } from './resolver-cache.js';

describe('ResolverCache', () => {
  it('keeps an answer for exactly its TTL', () => {
    const clock = new ManualClock();
    const c = new ResolverCache(clock);
    c.put('links.example.test', ['127.0.3.1'], 10);
    clock.advance(9_999);
    expect(c.get('links.example.test')?.addresses).toEqual(['127.0.3.1']);
    clock.advance(1);
    expect(c.get('links.example.test')).toBeUndefined();
  });

  it('does not cache a zero TTL and forgets on invalidate', () => {
    const c = new ResolverCache(new ManualClock());
    c.put('a', ['127.0.0.2'], 0);
    expect(c.get('a')).toBeUndefined();
    c.put('a', ['127.0.0.2'], 30);
    c.invalidate('a');
    expect(c.get('a')).toBeUndefined();
  });
});

describe('gslb query and answer', () => {
  it('encodes the client subnet as ECS', () => {
    const subnet = parseCidr('198.51.100.0/24');
    if (!subnet.ok) throw new Error(subnet.reason);
    const q = dnsPacket.decode(encodeGslbQuery(42, 'links.example.test', subnet.value));
    expect(q.id).toBe(42);
    expect(q.questions?.[0]).toMatchObject({ name: 'links.example.test', type: 'A' });
    const opt = q.additionals?.find((r) => r.type === 'OPT') as unknown as {
      options: Array<{ code: number; sourcePrefixLength: number; ip: string }>;
    };
    expect(opt.options[0]).toMatchObject({ code: 8, sourcePrefixLength: 24, ip: '198.51.100.0' });
  });

  it('decodes addresses in order with the minimum TTL, and failures as values', () => {
    const answer = dnsPacket.encode({
      type: 'response',
      id: 7,
      questions: [{ type: 'A', name: 'links.example.test' }],
      answers: [
        { type: 'A', name: 'links.example.test', ttl: 10, data: '127.0.3.1' },
        { type: 'A', name: 'links.example.test', ttl: 5, data: '127.0.2.1' },
      ],
    });
    expect(decodeGslbAnswer(answer)).toEqual({
      ok: true,
      id: 7,
      addresses: ['127.0.3.1', '127.0.2.1'],
      ttlSeconds: 5,
    });
    const nx = dnsPacket.encode({ type: 'response', id: 8, flags: 3, questions: [{ type: 'A', name: 'x' }] });
    expect(decodeGslbAnswer(nx)).toEqual({ ok: false, id: 8, reason: 'rcode-nxdomain' });
    expect(decodeGslbAnswer(Buffer.from([1]))).toMatchObject({ ok: false, reason: 'malformed' });
  });
});
