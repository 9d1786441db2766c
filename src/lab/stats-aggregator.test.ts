import { describe, expect, it } from 'vitest';
import type { RequestRecord } from './request-record.js';
import { StatsAggregator } from './stats-aggregator.js';

const ORIGIN = 1_000_000;

function rec(
  location: string,
  atS: number,
  totalMs: number,
  extra: Partial<RequestRecord> = {},
): RequestRecord {
  return {
    location,
    step: 'session',
    atMs: ORIGIN + atS * 1000,
    dnsMs: 0,
    connectMs: 0,
    responseMs: totalMs,
    totalMs,
    region: 'eu-west-2',
    attempts: 1,
    ok: true,
    ...extra,
  };
}

describe('StatsAggregator', () => {
  it('buckets per location and second with requests, errors, percentiles and regions', () => {
    const s = new StatsAggregator({ originMs: ORIGIN });
    for (let i = 0; i < 98; i++) s.record(rec('london', 0.5, 10));
    s.record(rec('london', 0.9, 500));
    s.record(rec('london', 0.9, 0, { ok: false, region: null, error: 'connect-refused' }));
    s.record(rec('london', 1.2, 20, { region: 'us-east-1' }));
    s.record(rec('cape-town', 1.0, 150, { region: 'af-south-1' }));
    expect(s.locations()).toEqual(['cape-town', 'london']);
    const [first, second] = s.series('london');
    expect(first).toMatchObject({ second: 0, requests: 100, errors: 1, regions: { 'eu-west-2': 99 } });
    expect(first!.successRate).toBeCloseTo(0.99);
    expect(first!.p50Ms!).toBeCloseTo(10, -0.5);
    expect(first!.p99Ms!).toBeGreaterThan(400);
    expect(second).toMatchObject({ second: 1, requests: 1, errors: 0, regions: { 'us-east-1': 1 } });
    expect(s.lastSecond).toBe(1);
  });

  it('merges a window and computes region share across locations', () => {
    const s = new StatsAggregator({ originMs: ORIGIN });
    for (let t = 0; t < 5; t++) {
      s.record(rec('a', t, 10, { region: 'r1' }));
      s.record(rec('b', t, 10, { region: t < 4 ? 'r1' : 'r2' }));
    }
    expect(s.window('a', 4, 3)).toMatchObject({ requests: 3, regions: { r1: 3 } });
    expect(s.regionShare(4, 5)).toEqual({ r1: 0.9, r2: 0.1 });
    expect(s.window('nobody', 4, 3)).toMatchObject({ requests: 0, successRate: null, p50Ms: null });
  });

  it('keeps at most maxSeconds per location but never loses the totals', () => {
    const s = new StatsAggregator({ originMs: ORIGIN, maxSeconds: 10 });
    for (let t = 0; t < 100; t++) s.record(rec('a', t, 10));
    s.record(rec('a', 3, 10));
    const series = s.series('a');
    expect(series.length).toBeLessThanOrEqual(10);
    expect(series[0]!.second).toBeGreaterThanOrEqual(90);
    expect(s.total('a').requests).toBe(101);
  });

  it('ignores records from before the origin', () => {
    const s = new StatsAggregator({ originMs: ORIGIN });
    s.record(rec('a', -2, 10));
    expect(s.locations()).toEqual([]);
  });
});
