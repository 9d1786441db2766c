import { describe, expect, it } from 'vitest';
import { canonicalName } from './canonical-name.js';
import { generateDnssecKey } from './dnssec-key.js';
import { SignatureCache } from './signature-cache.js';
import { validityWindow } from './validity-window.js';

describe('SignatureCache', () => {
  const key = generateDnssecKey('csk');
  const signer = canonicalName('example.test');
  const rrset = (ip: number) => ({
    owner: canonicalName('links.example.test'),
    type: 1,
    ttl: 30,
    rdatas: [Buffer.from([127, 0, ip, 1])],
  });

  it('signs an RRset once per refresh period', () => {
    const cache = new SignatureCache();
    const t = 1_765_000_000;
    const first = cache.rrsig(rrset(2), key, signer, t);
    expect(cache.rrsig(rrset(2), key, signer, t + 60)).toBe(first);
    expect(cache.stats).toEqual({ hits: 1, misses: 1, size: 1 });
    cache.rrsig(rrset(3), key, signer, t);
    cache.rrsig(rrset(2), key, signer, t + 86_400);
    expect(cache.stats.misses).toBe(3);
  });

  it('stays within its bound', () => {
    const cache = new SignatureCache({ maxEntries: 2 });
    for (let i = 0; i < 5; i++) cache.rrsig(rrset(i), key, signer, 0);
    expect(cache.stats.size).toBe(2);
  });
});

describe('validityWindow', () => {
  it('is the same within a period, jittered per RRset, and always covers now', () => {
    const now = 1_765_012_345;
    const a = validityWindow(now, Buffer.from('a'));
    expect(validityWindow(now + 100, Buffer.from('a'))).toEqual(a);
    const b = validityWindow(now, Buffer.from('b'));
    expect(b.period).toBe(a.period);
    expect(b.expiration).not.toBe(a.expiration);
    for (const w of [a, b]) {
      expect(w.inception).toBeLessThan(now - 3600 + 1);
      expect(w.expiration - now).toBeGreaterThan(6 * 86_400);
    }
  });
});
