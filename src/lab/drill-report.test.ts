import { describe, expect, it } from 'vitest';
import { renderDrillReportHtml } from './render-drill-report-html.js';
import { SYNTHETIC_ORIGIN_MS, syntheticDrill, syntheticWindow } from './test-support/synthetic-drill.js';

const ORIGIN = SYNTHETIC_ORIGIN_MS;

describe('buildDrillReport', () => {
  const r = syntheticDrill();

  it('has every location with totals and a per-second series, and the events at their seconds', () => {
    expect(r.locations.map((l) => l.name)).toEqual(['cape-town', 'london', 'new-york']);
    const london = r.locations.find((l) => l.name === 'london')!;
    expect(london.series).toHaveLength(60);
    expect(london.total.errors).toBeGreaterThan(0);
    expect(london.series[25]!.regions).toEqual({ 'us-east-1': 10 });
    expect(r.events).toEqual([
      { second: 20, atMs: ORIGIN + 20_000, label: 'region-down eu-west-2', ok: true },
      { second: 40, atMs: ORIGIN + 40_000, label: 'region-up eu-west-2', ok: true },
    ]);
  });

  it('gives the traffic share per region and second, summing to 1 where anything was served', () => {
    expect(r.regionShare).toHaveLength(60);
    for (const s of r.regionShare) {
      expect(Object.values(s.shares).reduce((a, b) => a + b, 0)).toBeCloseTo(1);
    }
    expect(r.regionShare[30]!.shares['eu-west-2']).toBeUndefined();
    expect(r.regionShare[10]!.shares['eu-west-2']).toBeCloseTo(1 / 3);
  });

  it('cuts a window out of a longer run, counting seconds from its start', () => {
    const w = syntheticWindow(15_000, 45_000);
    const london = w.locations.find((l) => l.name === 'london')!;
    expect(w.startedAtMs).toBe(ORIGIN + 15_000);
    expect(london.series[0]!.second).toBe(0);
    expect(london.series).toHaveLength(31);
    expect(london.total.requests).toBe(310);
    expect(w.events.map((e) => e.second)).toEqual([5, 25]);
    expect(w.regionShare).toHaveLength(31);
  });

  it('round-trips through JSON', () => {
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });
});

describe('renderDrillReportHtml', () => {
  const html = renderDrillReportHtml(syntheticDrill());

  it('is self-contained: no external scripts, styles, images or fonts', () => {
    expect(html).not.toMatch(
      /<script[^>]+src=|<link[^>]+href=|<img|url\(|@import|https?:\/\/(?!www\.w3\.org)/,
    );
  });

  it('has the four charts, a marker per event and the summary table', () => {
    expect(html.match(/<svg /g)).toHaveLength(4);
    expect(html).toContain('Success rate per location');
    expect(html).toContain('p50 latency per location');
    expect(html).toContain('p99 latency per location');
    expect(html).toContain('Share of served requests per region');
    expect(html.match(/class="ev"/g)).toHaveLength(8);
    expect(html).toMatch(/<td>.*london<\/td><td>600<\/td>/);
  });

  it('escapes text and embeds the report as JSON that cannot close the script', () => {
    const r = { ...syntheticDrill(), title: '<b>x</b></script>' };
    const page = renderDrillReportHtml(r);
    expect(page).not.toContain('<b>x</b>');
    expect(page.match(/<\/script>/g)).toHaveLength(1);
    const json = /<script type="application\/json" id="report">(.*)<\/script>/s.exec(page)![1]!;
    expect(JSON.parse(json).title).toBe(r.title);
  });
});

describe('the optimum series (latency drill report)', () => {
  const planned: Record<string, Record<string, number>> = {
    london: { 'eu-west-2': 5, 'us-east-1': 80, 'us-west-2': 140, 'af-south-1': 160 },
    'cape-town': { 'af-south-1': 4, 'eu-west-2': 150, 'us-east-1': 230, 'us-west-2': 290 },
    'new-york': { 'us-east-1': 3, 'eu-west-2': 76, 'us-west-2': 65, 'af-south-1': 230 },
  };
  const optimum = {
    candidates: ['us-west-2', 'us-east-1', 'eu-west-2', 'af-south-1'],
    plannedRttMs: (l: string, r: string) => planned[l]?.[r],
  };
  const r = syntheticWindow(0, 60_000, optimum);

  it('follows the drill log: london is at its optimum except while eu-west-2 is down', () => {
    const london = r.locations.find((l) => l.name === 'london')!;
    expect(london.optimum).toHaveLength(60);
    expect(london.optimum![10]).toMatchObject({ optimum: 'eu-west-2', atOptimumShare: 1, excessMs: 0 });
    // eu-west-2 is down: us-east-1 is then the best region there is, and users are on it
    expect(london.optimum![30]).toMatchObject({ optimum: 'us-east-1', atOptimumShare: 1, excessMs: 0 });
    expect(r.locations.find((l) => l.name === 'cape-town')!.optimum![30]!.atOptimumShare).toBe(1);
  });

  it('is drawn as two more charts', () => {
    const html = renderDrillReportHtml(r);
    expect(html.match(/<svg /g)).toHaveLength(6);
    expect(html).toContain('Share of requests served by the truly best region');
    expect(html).toContain('Excess round trip over the best region (ms)');
  });

  it('is absent without the lab round trips', () => {
    expect(syntheticDrill().locations[0]!.optimum).toBeUndefined();
  });
});
