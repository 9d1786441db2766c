import { describe, expect, it } from 'vitest';
import { estimateRttMs, loadAwsRttTable, parseRttCsv } from '../geo/index.js';
import { lintWorldText, loadWorld } from '../world/index.js';
import { cloudRegionAt, formatLabRtts, resolveLabRtts } from './lab-rtts.js';

const world = loadWorld(new URL('../../examples/world.yaml', import.meta.url).pathname);

describe('resolveLabRtts', () => {
  const rtts = resolveLabRtts(world, loadAwsRttTable());

  it('uses the measured table between distinct cloud regions', () => {
    const e = rtts.user('cape-town', 'eu-west-2');
    expect(e).toMatchObject({ source: 'measured', rttMs: loadAwsRttTable().get('af-south-1', 'eu-west-2') });
    expect(rtts.home('af-south-1')).toMatchObject({ source: 'measured', to: 'us-west-2', kind: 'home' });
  });

  it('falls back to the model for a network in the same metro as the region', () => {
    const e = rtts.user('seattle', 'us-west-2')!;
    expect(e.source).toBe('model');
    expect(e.rttMs).toBeGreaterThan(0);
    expect(e.rttMs).toBeLessThan(10);
  });

  it('covers every network × region and every non-home region → home', () => {
    expect(rtts.entries.filter((e) => e.kind === 'user')).toHaveLength(
      world.networks.length * world.regions.length,
    );
    expect(rtts.entries.filter((e) => e.kind === 'home')).toHaveLength(world.regions.length - 1);
    expect(rtts.home('us-west-2')).toBeUndefined();
  });

  it('prefers the world latency table over the model, and the model when neither knows', () => {
    const text = `zone: example.test
home: r1
regions:
  r1: { cidr: 10.1.0.0/16, address: 127.0.1.1, location: { lat: 0, lon: 0 } }
  r2: { cidr: 10.2.0.0/16, address: 127.0.2.1, location: { lat: 0, lon: 90 } }
networks:
  - { name: town, cidr: 192.0.2.0/24, location: { lat: 10, lon: 10 } }
latency:
  town: { r2: 123 }
`;
    const w = lintWorldText(text).world!;
    expect(w).toBeDefined();
    const r = resolveLabRtts(w, parseRttCsv(''));
    expect(r.user('town', 'r2')).toMatchObject({ source: 'world', rttMs: 123 });
    const model = r.user('town', 'r1')!;
    expect(model.source).toBe('model');
    expect(model.rttMs).toBeCloseTo(estimateRttMs({ lat: 10, lon: 10 }, { lat: 0, lon: 0 }), 0);
    expect(r.home('r2')?.source).toBe('model');
  });

  it('formats a table with one line per pair and its source', () => {
    const text = formatLabRtts(rtts);
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^path\s+rtt\s+source$/);
    expect(lines).toHaveLength(rtts.entries.length + 1);
    expect(text).toMatch(/cape-town → eu-west-2\s+150\.1 ms\s+measured/);
  });
});

describe('cloudRegionAt', () => {
  it('finds the region at a metro and nothing elsewhere', () => {
    expect(cloudRegionAt({ lat: -33.92, lon: 18.42 })).toBe('af-south-1');
    expect(cloudRegionAt({ lat: 0, lon: 0 })).toBeUndefined();
  });
});
