import { describe, expect, it } from 'vitest';
import { LocationWindow } from './location-window.js';

const RTTS: Record<string, number> = { 'london/eu-west-2': 12, 'london/us-west-2': 140 };
const rtt = (location: string, region: string) => RTTS[`${location}/${region}`];

describe('LocationWindow', () => {
  it('sums the whole seconds of the window, with the median response and both bounds', () => {
    const w = new LocationWindow({ seconds: 2 });
    const add = (atMs: number, region: string | null, responseMs: number, ok = true) =>
      w.record({ location: 'london', atMs, region, ok, responseMs });
    add(8_500, 'us-west-2', 999); // outside the window (second 8)
    add(9_100, 'eu-west-2', 14);
    add(9_200, 'eu-west-2', 16);
    add(10_100, 'us-west-2', 150);
    add(10_200, null, 5_000, false);
    add(11_000, 'eu-west-2', 1); // the current second: not yet
    expect(w.samples(11_500, rtt, ['eu-west-2', 'us-west-2'])).toEqual([
      {
        name: 'london',
        rps: 2,
        byRegion: { 'eu-west-2': 2, 'us-west-2': 1 },
        p50Ms: 16,
        boundMs: 12,
        bestBoundMs: 12,
      },
    ]);
  });

  it('keeps a bounded number of seconds and samples', () => {
    const w = new LocationWindow({ seconds: 1, maxSamplesPerSecond: 3 });
    for (let i = 0; i < 100; i++)
      w.record({ location: 'x', atMs: i * 100, region: 'r', ok: true, responseMs: i });
    const [s] = w.samples(10_000, () => undefined, []);
    expect(s).toMatchObject({ rps: 10, byRegion: { r: 10 }, p50Ms: 91, boundMs: null, bestBoundMs: null });
  });
});
