import { describe, expect, it } from 'vitest';
import { bucketText, SubnetTopK } from './subnet-top-k.js';

const v4 = (a: number, b: number, c: number, d = 1) => Uint8Array.of(a, b, c, d);

describe('SubnetTopK', () => {
  it('counts one (bucket, decision) pair in place, whatever the host byte', () => {
    const t = new SubnetTopK(64);
    t.observe(4, v4(203, 0, 113, 1), 3, 10);
    t.observe(4, v4(203, 0, 113, 200), 3, 20);
    t.observe(4, v4(203, 0, 113, 7), 4, 30);
    const e = t.entries().sort((a, b) => a.decisionId - b.decisionId);
    expect(e.map((x) => [bucketText(x.family, x.bytes), x.decisionId, x.count, x.lastSeenMs])).toEqual([
      ['203.0.113.0/24', 3, 2, 20],
      ['203.0.113.0/24', 4, 1, 30],
    ]);
  });

  it('keeps IPv6 /56 buckets apart from IPv4 ones', () => {
    const t = new SubnetTopK(64);
    const a = new Uint8Array(16);
    a.set([0x20, 0x01, 0x0d, 0xb8, 0x12, 0x34, 0x56, 0x78]);
    t.observe(6, a, 0, 1);
    t.observe(4, v4(32, 1, 13), 0, 1);
    const texts = t
      .entries()
      .map((x) => bucketText(x.family, x.bytes))
      .sort();
    expect(texts).toEqual(['2001:db8:1234:5600::/56', '32.1.13.0/24']);
  });

  it('stays within its fixed size after 1e6 distinct /24s and keeps a heavy hitter', () => {
    const t = new SubnetTopK(1024);
    const bytesBefore = t.byteLength;
    const heavy = v4(198, 51, 100);
    const b = new Uint8Array(4);
    let maxSize = 0;
    for (let i = 0; i < 1_000_000; i++) {
      b[0] = (i >>> 16) & 255;
      b[1] = (i >>> 8) & 255;
      b[2] = i & 255;
      t.observe(4, b, 0, i);
      if (i % 10 === 0) t.observe(4, heavy, 0, i);
      if (t.size > maxSize) maxSize = t.size;
    }
    expect(maxSize).toBe(1024);
    expect(t.capacity).toBe(1024);
    expect(t.byteLength).toBe(bytesBefore);
    expect(t.entries().length).toBeLessThanOrEqual(1024);
    const h = t.entries().find((x) => bucketText(x.family, x.bytes) === '198.51.100.0/24');
    expect(h?.count).toBeGreaterThanOrEqual(100_000);
  });
});
