import { describe, expect, it } from 'vitest';
import { ManualClock } from '../core/index.js';
import { PartnerRateLimiter } from './partner-rate-limiter.js';

describe('PartnerRateLimiter', () => {
  it("refuses a client over its share before taking from the partner's bucket", () => {
    const limiter = new PartnerRateLimiter(new ManualClock(), { clientSharePercent: 20 });
    const flood = Array.from({ length: 10 }, () => limiter.take('acme', 10, '203.0.113.7'));
    expect(flood.filter((d) => d.ok)).toHaveLength(2);
    expect(flood[2]).toEqual({ ok: false, limit: 'client', retryAfterSeconds: 1 });
    // 10 - 2 tokens are left for everyone else.
    const others = Array.from({ length: 9 }, (_, i) => limiter.take('acme', 10, `198.51.100.${i}`));
    expect(others.map((d) => d.ok)).toEqual([...Array(8).fill(true), false]);
    expect(others[8]).toEqual({ ok: false, limit: 'partner', retryAfterSeconds: 1 });
  });

  it('gives every client at least one request per second, and caps partners at capRps', () => {
    const clock = new ManualClock();
    const limiter = new PartnerRateLimiter(clock, { capRps: 2, clientSharePercent: 1 });
    expect(limiter.take('tiny', 1_000, 'a').ok).toBe(true);
    expect(limiter.take('tiny', 1_000, 'a')).toEqual({ ok: false, limit: 'client', retryAfterSeconds: 1 });
    expect(limiter.take('tiny', 1_000, 'b').ok).toBe(true);
    expect(limiter.take('tiny', 1_000, 'c')).toMatchObject({ ok: false, limit: 'partner' });
    clock.advance(1000);
    expect(limiter.take('tiny', 1_000, 'a').ok).toBe(true);
  });

  it('says how long until the next token', () => {
    const clock = new ManualClock();
    const slow = new PartnerRateLimiter(clock);
    expect(slow.take('p', 1).ok).toBe(true);
    expect(slow.take('p', 1)).toEqual({ ok: false, limit: 'partner', retryAfterSeconds: 1 });
    clock.advance(400);
    expect(slow.take('p', 1)).toEqual({ ok: false, limit: 'partner', retryAfterSeconds: 1 });
    const tenth = new PartnerRateLimiter(clock, { capRps: 0.1 });
    expect(tenth.take('p', 5).ok).toBe(true); // a bucket holds at least one token
    expect(tenth.take('p', 5)).toEqual({ ok: false, limit: 'partner', retryAfterSeconds: 10 });
  });

  it('keeps at most maxClients client buckets, forgetting the least recently seen', () => {
    const limiter = new PartnerRateLimiter(new ManualClock(), { clientSharePercent: 1, maxClients: 3 });
    for (let i = 0; i < 10; i++) expect(limiter.take('acme', 1_000, 'flooder').ok).toBe(true);
    for (let i = 0; i < 500; i++) {
      expect(limiter.take('acme', 1_000, `passer-by-${i}`).ok).toBe(true);
      // Still refused by its own bucket: seen more recently than the passers-by it outlives.
      if (i % 2 === 0) expect(limiter.take('acme', 1_000, 'flooder')).toMatchObject({ limit: 'client' });
      expect(limiter.clients()).toBeLessThanOrEqual(3);
    }
  });
});
