import { describe, expect, it } from 'vitest';
import { optimumSeries } from './optimum-share.js';

const planned: Record<string, Record<string, number>> = {
  'cape-town': { 'af-south-1': 20, 'eu-west-2': 150, 'sa-east-1': 337 },
};
const input = (events: Parameters<typeof optimumSeries>[0]['events']) => ({
  candidates: ['af-south-1', 'eu-west-2', 'sa-east-1'],
  plannedRttMs: (l: string, r: string) => planned[l]?.[r],
  events,
});

describe('optimumSeries', () => {
  it('everyone at the nearest region is 100 % at the optimum with no excess', () => {
    const s = optimumSeries(input([]), 'cape-town', [
      { second: 0, atMs: 500, regions: { 'af-south-1': 10 } },
    ]);
    expect(s).toEqual([{ second: 0, optimum: 'af-south-1', atOptimumShare: 1, excessMs: 0 }]);
  });

  it('a latency drill moves the optimum; users left behind show as share and excess', () => {
    const events = [
      {
        atMs: 1000,
        event: { kind: 'latency-add' as const, network: 'cape-town', region: 'af-south-1', addMs: 200 },
      },
      { atMs: 3000, event: { kind: 'latency-clear' as const, network: 'cape-town', region: 'af-south-1' } },
    ];
    const s = optimumSeries(input(events), 'cape-town', [
      { second: 0, atMs: 500, regions: { 'af-south-1': 4 } },
      { second: 1, atMs: 1500, regions: { 'af-south-1': 3, 'eu-west-2': 1 } },
      { second: 3, atMs: 3500, regions: { 'af-south-1': 4 } },
    ]);
    expect(s[0]).toMatchObject({ optimum: 'af-south-1', atOptimumShare: 1 });
    // af-south-1 is now 220 ms: eu-west-2 (150) is best; 3 of 4 requests paid 70 ms more
    expect(s[1]).toEqual({ second: 1, optimum: 'eu-west-2', atOptimumShare: 0.25, excessMs: 52.5 });
    expect(s[2]).toMatchObject({ optimum: 'af-south-1', atOptimumShare: 1, excessMs: 0 });
  });

  it('a slow drill (every network) and a region down both count', () => {
    const events = [
      { atMs: 0, event: { kind: 'latency-add' as const, network: null, region: 'af-south-1', addMs: 300 } },
      { atMs: 0, event: { kind: 'region-down' as const, region: 'eu-west-2' } },
    ];
    const [s] = optimumSeries(input(events), 'cape-town', [
      { second: 0, atMs: 10, regions: { 'sa-east-1': 2 } },
    ]);
    expect(s).toEqual({ second: 0, optimum: 'af-south-1', atOptimumShare: 0, excessMs: 17 });
  });

  it('has no share when nothing was served', () => {
    const [s] = optimumSeries(input([]), 'cape-town', [{ second: 0, atMs: 0, regions: {} }]);
    expect(s!.atOptimumShare).toBeNull();
    expect(s!.excessMs).toBeNull();
  });
});
