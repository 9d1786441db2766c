import { describe, expect, it } from 'vitest';
import { seededRandom } from '../core/index.js';
import { LatencyHistogram } from './latency-histogram.js';

describe('LatencyHistogram', () => {
  it('is empty until something is recorded', () => {
    expect(new LatencyHistogram().quantile(0.5)).toBeNull();
  });

  it('returns quantiles within 3 % of the exact ones', () => {
    const rnd = seededRandom(7);
    const h = new LatencyHistogram();
    const values: number[] = [];
    for (let i = 0; i < 20_000; i++) {
      const v = Math.exp(rnd.next() * 8); // 1 ms … 3 s, log-uniform
      values.push(v);
      h.record(v);
    }
    values.sort((a, b) => a - b);
    for (const q of [0.5, 0.9, 0.99]) {
      const exact = values[Math.ceil(q * values.length) - 1]!;
      expect(Math.abs(h.quantile(q)! - exact) / exact).toBeLessThan(0.03);
    }
    expect(h.count).toBe(20_000);
  });

  it('never reports above the maximum and handles zero and huge values', () => {
    const h = new LatencyHistogram();
    h.record(0);
    h.record(5);
    expect(h.quantile(1)).toBe(5);
    h.record(10_000_000);
    expect(h.quantile(1)).toBeGreaterThan(100_000);
    expect(h.quantile(0.01)).toBeLessThanOrEqual(0.1);
  });

  it('merges counts', () => {
    const a = new LatencyHistogram();
    const b = new LatencyHistogram();
    for (let i = 0; i < 100; i++) a.record(10);
    for (let i = 0; i < 100; i++) b.record(100);
    a.merge(b);
    expect(a.count).toBe(200);
    expect(a.quantile(0.25)!).toBeCloseTo(10, -0.5);
    expect(a.quantile(0.99)!).toBeCloseTo(100, -1);
  });
});
