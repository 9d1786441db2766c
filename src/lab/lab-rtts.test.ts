import { describe, expect, it } from 'vitest';
import { estimateRttMs, parseRttCsv } from '../geo/index.js';
import { loadAwsRttTable } from '../geo/io/index.js';
import { DEFAULT_ACCESS_RTT_MS, lintWorldText } from '../world/index.js';
import { loadWorld } from '../world/io/index.js';
import { accessRttMs, cloudRegionAt, formatLabRtts, resolveLabRtts } from './lab-rtts.js';

const world = loadWorld(new URL('../../examples/world.yaml', import.meta.url).pathname);

describe('resolveLabRtts', () => {
  const rtts = resolveLabRtts(world, loadAwsRttTable());

  it('uses the measured table between distinct cloud regions, plus the users’ access network', () => {
    const measured = loadAwsRttTable().get('af-south-1', 'eu-west-2')!;
    const e = rtts.user('cape-town', 'eu-west-2');
    expect(e).toMatchObject({ source: 'measured', pathMs: measured, accessMs: DEFAULT_ACCESS_RTT_MS });
    expect(e?.rttMs).toBeCloseTo(measured + DEFAULT_ACCESS_RTT_MS, 1);
    // Region → home is a cloud backbone: no last mile.
    const home = rtts.home('af-south-1');
    expect(home).toMatchObject({ source: 'measured', to: 'us-west-2', kind: 'home', accessMs: 0 });
    expect(home?.rttMs).toBeCloseTo(loadAwsRttTable().get('af-south-1', 'us-west-2')!, 1);
  });

  it('falls back to the model for a network in the same metro as the region', () => {
    const e = rtts.user('seattle', 'us-west-2')!;
    expect(e.source).toBe('model');
    expect(e.pathMs).toBeGreaterThan(0);
    expect(e.pathMs).toBeLessThan(10);
    expect(e.rttMs).toBeCloseTo(e.pathMs + DEFAULT_ACCESS_RTT_MS, 1);
  });

  it('takes a population’s own access RTT over the lab default, and 0 when asked', () => {
    const text = `zone: example.test
home: r1
regions:
  r1: { cidr: 10.1.0.0/16, address: 127.0.1.1, location: { lat: 0, lon: 0 } }
networks:
  - { name: fibre, cidr: 192.0.2.0/24, location: { lat: 0, lon: 1 } }
  - { name: mobile, cidr: 198.51.100.0/24, location: { lat: 0, lon: 1 } }
  - { name: dc, cidr: 203.0.113.0/24, location: { lat: 0, lon: 1 } }
lab:
  accessRttMs: 8
  users:
    fibre: { rps: 1 }
    mobile: { rps: 1, accessRttMs: 35 }
    dc: { rps: 1, accessRttMs: 0 }
`;
    const w = lintWorldText(text).world!;
    const r = resolveLabRtts(w, parseRttCsv(''));
    const path = r.user('fibre', 'r1')!.pathMs;
    expect(r.user('fibre', 'r1')).toMatchObject({ accessMs: 8 });
    expect(r.user('mobile', 'r1')).toMatchObject({ accessMs: 35, pathMs: path });
    expect(r.user('mobile', 'r1')!.rttMs).toBeCloseTo(path + 35, 1);
    expect(r.user('dc', 'r1')).toMatchObject({ accessMs: 0, rttMs: path });
    expect(accessRttMs(w, 'nobody')).toBe(8);
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
    expect(r.user('town', 'r2')).toMatchObject({ source: 'world', pathMs: 123 });
    const model = r.user('town', 'r1')!;
    expect(model.source).toBe('model');
    expect(model.pathMs).toBeCloseTo(estimateRttMs({ lat: 10, lon: 10 }, { lat: 0, lon: 0 }), 0);
    expect(r.home('r2')?.source).toBe('model');
  });

  it('formats a table with one line per pair and its source', () => {
    const text = formatLabRtts(rtts);
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^path\s+rtt\s+source$/);
    expect(lines).toHaveLength(rtts.entries.length + 1);
    expect(text).toMatch(/cape-town → eu-west-2\s+160\.1 ms\s+measured 150\.1 \+ access 10\.0/);
    expect(text).toMatch(/af-south-1 → home us-west-2\s+278\.8 ms\s+measured$/m);
  });
});

describe('cloudRegionAt', () => {
  it('finds the region at a metro and nothing elsewhere', () => {
    expect(cloudRegionAt({ lat: -33.92, lon: 18.42 })).toBe('af-south-1');
    expect(cloudRegionAt({ lat: 0, lon: 0 })).toBeUndefined();
  });
});
