import { describe, expect, it } from 'vitest';
import { latencySnapshotDataSchema } from './latency-snapshot-data.js';
import { RumAggregator } from './rum-aggregator.js';

function feed(agg: RumAggregator, clientKey: string, samples: Record<string, number>, n: number, atMs = 0) {
  for (let i = 0; i < n; i++)
    agg.add({
      clientKey,
      atMs: atMs + i,
      samples: Object.entries(samples).map(([region, rttMs]) => ({ region, rttMs })),
    });
}

describe('RumAggregator', () => {
  it('publishes nothing for a figure below the minimum sample count', () => {
    const agg = new RumAggregator({ minSamples: 20 });
    feed(agg, 'network:cape-town', { 'af-south-1': 20 }, 19);
    expect(agg.snapshot(100).clients).toEqual({});
    feed(agg, 'network:cape-town', { 'af-south-1': 20 }, 1, 50);
    const snap = agg.snapshot(100);
    expect(snap.clients['network:cape-town']).toEqual({
      order: ['af-south-1'],
      rttMs: { 'af-south-1': 20 },
      samples: { 'af-south-1': 20 },
    });
  });

  it('orders only regions with enough samples, nearest first', () => {
    const agg = new RumAggregator({ minSamples: 3 });
    feed(agg, 'network:cape-town', { 'eu-west-2': 150, 'sa-east-1': 337 }, 3);
    feed(agg, 'network:cape-town', { 'us-west-2': 20 }, 2);
    const entry = agg.snapshot(10).clients['network:cape-town']!;
    expect(entry.order).toEqual(['eu-west-2', 'sa-east-1']);
    expect(latencySnapshotDataSchema.safeParse(agg.snapshot(10)).success).toBe(true);
  });

  it('switches the published order only past the tolerance (hysteresis across snapshots)', () => {
    const agg = new RumAggregator({ minSamples: 1 });
    feed(agg, 'subnet:198.51.100.0/24', { a: 100, b: 120 }, 1);
    expect(agg.snapshot(1).clients['subnet:198.51.100.0/24']!.order).toEqual(['a', 'b']);
    // b improves to just under a: not enough to switch
    feed(agg, 'subnet:198.51.100.0/24', { b: 0 }, 2, 2); // 120 → 108 → 97.2
    const mid = agg.snapshot(3).clients['subnet:198.51.100.0/24']!;
    expect(mid.rttMs.b).toBeLessThan(100);
    expect(mid.order).toEqual(['a', 'b']);
    feed(agg, 'subnet:198.51.100.0/24', { b: 0 }, 2, 4); // → 87.5 → 78.7
    expect(agg.snapshot(6).clients['subnet:198.51.100.0/24']!.order).toEqual(['b', 'a']);
  });

  it('forgets figures with no recent sample', () => {
    const agg = new RumAggregator({ minSamples: 1, staleAfterMs: 1000 });
    feed(agg, 'network:london', { 'eu-west-2': 5 }, 1, 0);
    feed(agg, 'network:london', { 'us-east-1': 80 }, 1, 900);
    expect(agg.snapshot(1500).clients['network:london']!.order).toEqual(['us-east-1']);
    expect(agg.snapshot(3000).clients).toEqual({});
    expect(agg.clients).toBe(0);
  });

  it('keeps at most maxClients client keys, forgetting the least recently updated', () => {
    const agg = new RumAggregator({ minSamples: 1, maxClients: 2 });
    feed(agg, 'subnet:a', { r: 1 }, 1, 0);
    feed(agg, 'subnet:b', { r: 1 }, 1, 1);
    feed(agg, 'subnet:a', { r: 1 }, 1, 2); // a is now the most recent
    feed(agg, 'subnet:c', { r: 1 }, 1, 3);
    expect(agg.clients).toBe(2);
    expect(Object.keys(agg.snapshot(4).clients).sort()).toEqual(['subnet:a', 'subnet:c']);
  });
});
