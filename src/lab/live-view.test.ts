import { describe, expect, it } from 'vitest';
import { type LiveViewState, locationRows, renderLiveView } from './live-view.js';
import type { RequestRecord } from './request-record.js';
import { StatsAggregator } from './stats-aggregator.js';

const state: LiveViewState = {
  title: 'meridian up · example.test',
  elapsedSeconds: 75,
  windowSeconds: 5,
  locations: [
    {
      name: 'cape-town',
      servingRegion: 'af-south-1',
      rps: 3,
      p50Ms: 12.3,
      p99Ms: 140,
      errors: 0,
      requests: 15,
    },
    { name: 'london', servingRegion: null, rps: 0, p50Ms: null, p99Ms: null, errors: 3, requests: 3 },
  ],
  regions: [
    { name: 'us-west-2', isHome: true, health: 'up', trafficShare: 0.25, outboxBacklog: null },
    { name: 'eu-west-2', isHome: false, health: 'down', trafficShare: 0, outboxBacklog: 12 },
  ],
  events: ['0:30 region-down eu-west-2'],
};

describe('renderLiveView', () => {
  it('renders locations, regions and drill events as aligned tables', () => {
    expect(renderLiveView(state)).toBe(
      [
        'meridian up · example.test · 1:15 · last 5s',
        '',
        'location   served by   req/s    p50     p99    errors',
        'cape-town  af-south-1    3.0  12 ms  140 ms         0',
        'london     –             0.0      –       –  3 (100%)',
        '',
        'region            health  traffic  outbox',
        'us-west-2 (home)  up          25%       –',
        'eu-west-2         down         0%      12',
        '',
        'drills:',
        '  0:30 region-down eu-west-2',
        '',
      ].join('\n'),
    );
  });

  it('omits the drills section when nothing happened', () => {
    expect(renderLiveView({ ...state, events: [] })).not.toContain('drills:');
  });
});

describe('locationRows', () => {
  it('takes the region serving most requests in the window and the rate over it', () => {
    const stats = new StatsAggregator({ originMs: 0 });
    const rec = (s: number, region: string, ok = true): RequestRecord => ({
      location: 'london',
      step: 'session',
      atMs: s * 1000,
      dnsMs: 0,
      connectMs: 0,
      responseMs: 10,
      totalMs: 10,
      region: ok ? region : null,
      attempts: 1,
      ok,
    });
    for (let s = 0; s < 10; s++) stats.record(rec(s, s < 7 ? 'eu-west-2' : 'us-east-1'));
    stats.record(rec(9, '', false));
    const [row] = locationRows(stats, 9, 5);
    expect(row).toMatchObject({ name: 'london', servingRegion: 'us-east-1', errors: 1, requests: 6 });
    expect(row!.rps).toBeCloseTo(1.2);
  });
});
