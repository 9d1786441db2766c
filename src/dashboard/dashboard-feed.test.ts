import { describe, expect, it } from 'vitest';
import { DashboardFeed, type FeedSample } from './dashboard-feed.js';

const base: FeedSample = {
  atMs: 1_000,
  zone: 'example.test',
  worldHash: 'aaaaaaaaaaaaaaaa',
  regions: [
    { name: 'us-west-2', lat: 45.5, lon: -122.7, isHome: true },
    { name: 'eu-west-2', lat: 51.5, lon: -0.1, isHome: false },
  ],
  networks: [{ name: 'london', lat: 51.5, lon: -0.1 }],
  hostnames: ['links.example.test'],
  health: [
    { name: 'us-west-2', state: 'up', drained: false, serving: true, lastChangeAtMs: 500, lastError: null },
    { name: 'eu-west-2', state: 'up', drained: false, serving: true, lastChangeAtMs: 600, lastError: null },
  ],
  answers: { 'us-west-2': 10, 'eu-west-2': 10 },
  rollouts: [{ hostname: 'links.example.test', text: null }],
  reloads: { ok: 0, failed: 0, lastError: null },
};

const feed = () => new DashboardFeed({ server: { mode: 'dns', controls: 'token' } });
const withHealth = (
  s: FeedSample,
  name: string,
  patch: Partial<FeedSample['health'][number]>,
): FeedSample => ({
  ...s,
  health: s.health.map((h) => (h.name === name ? { ...h, ...patch } : h)),
});

describe('DashboardFeed', () => {
  it('has no snapshot before the first sample, then the state with one vantage (the monitor)', () => {
    const f = feed();
    expect(f.snapshot()).toBeNull();
    f.observe(base);
    const s = f.snapshot()!;
    expect(s.server).toMatchObject({ mode: 'dns', controls: 'token', zone: 'example.test' });
    expect(s.vantages).toEqual(['monitor']);
    expect(s.matrix.map((c) => `${c.vantage}/${c.region}=${c.state}`)).toEqual([
      'monitor/us-west-2=up',
      'monitor/eu-west-2=up',
    ]);
    expect(s.markers).toEqual([]);
    expect(s.share).toEqual([]); // a share needs two counter samples
  });

  it('takes the traffic share from the answer counters between two samples', () => {
    const f = feed();
    f.observe(base);
    const t = f.observe({ ...base, atMs: 2_000, answers: { 'us-west-2': 13, 'eu-west-2': 19 } });
    expect(t.share).toEqual({ atMs: 2_000, shares: { 'us-west-2': 0.25, 'eu-west-2': 0.75 } });
  });

  it('marks a drain with the operator reason and keeps it as the region last change', () => {
    const f = feed();
    f.observe(base);
    const drained = {
      ...withHealth(base, 'eu-west-2', { drained: true, serving: false }),
      atMs: 2_000,
      operatorRecords: [
        { action: 'drain', target: 'eu-west-2', who: 'ops', reason: 'kernel patch', atMs: 1_900 },
      ],
    };
    const t = f.observe(drained);
    expect(t.markers).toEqual([
      { atMs: 2_000, kind: 'drain', label: 'eu-west-2 drained by the operator: kernel patch by ops' },
    ]);
    const eu = t.regions.find((r) => r.name === 'eu-west-2')!;
    expect(eu).toMatchObject({ drained: true, lastChangeAtMs: 2_000 });
    expect(eu.reason).toContain('kernel patch');
    const back = f.observe({
      ...withHealth(drained, 'eu-west-2', { drained: false, serving: true }),
      atMs: 3_000,
    });
    expect(back.markers.map((m) => m.kind)).toEqual(['undrain']);
  });

  it('marks a region going down at its change time with the probe error as the reason', () => {
    const f = feed();
    f.observe(base);
    const t = f.observe({
      ...withHealth(base, 'us-west-2', {
        state: 'down',
        serving: false,
        lastChangeAtMs: 1_500,
        lastError: 'connect ECONNREFUSED',
      }),
      atMs: 2_000,
    });
    expect(t.markers).toEqual([
      { atMs: 1_500, kind: 'health', label: 'us-west-2 up → down: connect ECONNREFUSED' },
    ]);
    expect(t.matrix.find((c) => c.region === 'us-west-2')).toMatchObject({
      state: 'down',
      reason: 'connect ECONNREFUSED',
    });
  });

  it('marks config versions, reloads, rollout steps and new drills', () => {
    const f = feed();
    f.observe({ ...base, drills: [{ atMs: 900, label: 'old drill' }] });
    const t = f.observe({
      ...base,
      atMs: 2_000,
      worldHash: 'bbbbbbbbbbbbbbbbbbbb',
      reloads: { ok: 1, failed: 1, lastError: 'MERIDIAN_WORLD_INVALID\n  line 3' },
      rollouts: [{ hostname: 'links.example.test', text: 'eu-west-2 5%' }],
      drills: [
        { atMs: 900, label: 'old drill' },
        { atMs: 1_950, label: 'region-down eu-west-2' },
      ],
    });
    expect(f.snapshot()!.markers.map((m) => m.label)).toContain('old drill'); // made before the first sample
    expect(t.markers.map((m) => `${m.kind}: ${m.label}`)).toEqual([
      'config: config bbbbbbbbbbbb',
      'reload: reload ok (1)',
      'reload: reload failed: MERIDIAN_WORLD_INVALID',
      'rollout: links.example.test: eu-west-2 5%',
      'drill: region-down eu-west-2',
    ]);
  });

  it('shows the fleet matrix when the state has one (stale views marked)', () => {
    const f = feed();
    const t = f.observe({
      ...base,
      matrix: {
        vantages: ['fra', 'iad'],
        regions: [
          {
            region: 'us-west-2',
            views: [
              { vantage: 'fra', ok: true, reason: null, observedAtMs: 900, fresh: true },
              { vantage: 'iad', ok: false, reason: 'timeout', observedAtMs: 100, fresh: false },
            ],
          },
        ],
      },
    });
    expect(t.vantages).toEqual(['fra', 'iad']);
    expect(t.matrix.map((c) => `${c.vantage}=${c.state}`)).toEqual(['fra=up', 'iad=stale']);
  });

  it('takes locations and the share from the lab users when given', () => {
    const f = feed();
    const t = f.observe({
      ...base,
      answers: null,
      locations: [
        {
          name: 'london',
          rps: 20,
          byRegion: { 'eu-west-2': 30, 'us-west-2': 10 },
          p50Ms: 25,
          boundMs: 12,
          bestBoundMs: 12,
        },
      ],
    });
    expect(t.locations).toEqual([
      {
        name: 'london',
        lat: 51.5,
        lon: -0.1,
        rps: 20,
        servedBy: { 'eu-west-2': 0.75, 'us-west-2': 0.25 },
        p50Ms: 25,
        boundMs: 12,
        bestBoundMs: 12,
        measured: true,
      },
    ]);
    expect(t.share?.shares).toEqual({ 'eu-west-2': 0.75, 'us-west-2': 0.25 });
  });

  it('keeps bounded history', () => {
    const f = new DashboardFeed({
      server: { mode: 'dns', controls: 'token' },
      maxSharePoints: 3,
      maxMarkers: 2,
    });
    let s = base;
    for (let i = 1; i <= 10; i++) {
      s = {
        ...s,
        atMs: 1_000 + i * 1_000,
        answers: { 'us-west-2': 10 + i },
        reloads: { ok: i, failed: 0, lastError: null },
      };
      f.observe(s);
    }
    const snap = f.snapshot()!;
    expect(snap.share.map((p) => p.atMs)).toEqual([9_000, 10_000, 11_000]);
    expect(snap.markers.map((m) => m.label)).toEqual(['reload ok (9)', 'reload ok (10)']);
  });
});
