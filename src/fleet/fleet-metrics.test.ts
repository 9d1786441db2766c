import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { lintWorldText, type World } from '../world/index.js';
import { FleetMetrics } from './fleet-metrics.js';
import { FleetVerdicts } from './fleet-verdicts.js';

function worldOf(vantages: string[], regions = ['us-west-2', 'eu-west-2']): World {
  return lintWorldText(
    [
      'zone: example.test',
      `home: ${regions[0]}`,
      'regions:',
      ...regions.map((r, i) => `  ${r}: { cidr: 10.${i + 1}.0.0/16, address: 127.0.${i + 1}.1 }`),
      'vantages:',
      ...vantages.map((v, i) => `  ${v}: { location: { lat: ${i}, lon: 0 } }`),
    ].join('\n'),
  ).world!;
}

const T = Date.UTC(2026, 11, 6);

describe('FleetMetrics', () => {
  it('shows the vantage × region matrix as gauges, and drops the series of what left', async () => {
    const registry = new Registry();
    const metrics = new FleetMetrics(registry);
    const v = new FleetVerdicts(worldOf(['a', 'b']));
    let seq = 0;
    const obs = (vantage: string, ok: boolean, t: number) =>
      v.apply({
        region: 'eu-west-2',
        vantage,
        ok,
        latencyMs: 1,
        reason: ok ? null : 'timeout',
        timeMs: T + t,
        seq: ++seq,
        streamTimeMs: T + t,
      });
    obs('a', true, 0);
    obs('b', false, 10);
    metrics.update(v.matrix(T + 1000));
    const text = await registry.metrics();
    const line = (name: string) => text.split('\n').filter((l) => l.startsWith(name));
    expect(line('meridian_fleet_vantage_view{')).toEqual([
      'meridian_fleet_vantage_view{vantage="a",region="eu-west-2"} 1',
      'meridian_fleet_vantage_view{vantage="b",region="eu-west-2"} 0',
    ]);
    expect(line('meridian_fleet_vantage_stale{')).toContain(
      'meridian_fleet_vantage_stale{vantage="a",region="us-west-2"} 1',
    );
    expect(line('meridian_fleet_vantage_age_seconds{')).toContain(
      'meridian_fleet_vantage_age_seconds{vantage="a",region="eu-west-2"} 1',
    );
    expect(line('meridian_fleet_region_serving{')).toEqual([
      'meridian_fleet_region_serving{region="us-west-2"} 0',
      'meridian_fleet_region_serving{region="eu-west-2"} 1',
    ]);
    expect(line('meridian_fleet_region_disagreeing_vantages{region="eu-west-2"}')).toEqual([
      'meridian_fleet_region_disagreeing_vantages{region="eu-west-2"} 1',
    ]);
    expect(line('meridian_fleet_region_fail_static{region="us-west-2"}')).toEqual([
      'meridian_fleet_region_fail_static{region="us-west-2"} 1',
    ]);
    expect(line('meridian_fleet_last_sequence')).toContain('meridian_fleet_last_sequence 2');

    v.setWorld(worldOf(['a'], ['eu-west-2']));
    metrics.update(v.matrix(T + 1000));
    const after = await registry.metrics();
    expect(after).not.toContain('vantage="b"');
    expect(after).not.toContain('region="us-west-2"');
  });
});
