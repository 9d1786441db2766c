import { describe, expect, it } from 'vitest';
import { foldRtt } from './rtt-average.js';

describe('foldRtt', () => {
  it('starts at the first sample', () => {
    expect(foldRtt(undefined, 42, 1000)).toEqual({ rttMs: 42, samples: 1, lastAtMs: 1000 });
  });

  it('follows a worse path faster than a better one', () => {
    const base = { rttMs: 100, samples: 10, lastAtMs: 0 };
    const worse = foldRtt(base, 200, 1);
    const better = foldRtt(base, 0, 1);
    expect(worse.rttMs).toBeCloseTo(130);
    expect(better.rttMs).toBeCloseTo(90);
    expect(worse.samples).toBe(11);
  });

  it('converges to a steady figure', () => {
    let avg = foldRtt(undefined, 300, 0);
    for (let i = 1; i <= 60; i++) avg = foldRtt(avg, 150, i);
    expect(avg.rttMs).toBeGreaterThan(150);
    expect(avg.rttMs).toBeLessThan(151);
  });

  it('keeps the latest sample time even when samples arrive out of order', () => {
    const a = foldRtt(foldRtt(undefined, 10, 500), 10, 100);
    expect(a.lastAtMs).toBe(500);
  });
});
