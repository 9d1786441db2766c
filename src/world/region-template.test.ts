import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lintWorldText } from './lint-world.js';
import { expectedRegionStatus, regionStatus, regionStatusSchema, regionTemplate } from './region-template.js';
import type { World } from './world.js';

const WORLD = `
zone: example.test
home: us-west-2
regions:
  us-west-2: { cidr: 10.10.0.0/16, address: 127.0.1.1 }
  eu-west-2:
    cidr: 10.20.0.0/16
    address: 127.0.2.1
    port: 9090
    health: { intervalMs: 1000 }
    overrides:
      limits: { partnerRps: 50 }
      knobs: { outboxFlushMs: 200, canary: true }
      services: { links: 0.2.0 }
  af-south-1: { cidr: 10.30.0.0/16, address: 127.0.3.1 }
services:
  links: { in: all, version: 0.1.0, dependsOn: [{ service: config, kind: soft }] }
  edge: { in: [eu-west-2, af-south-1] }
  config: { in: home, owns: [config-db] }
health: { path: /healthz, intervalMs: 500, timeoutMs: 300, rise: 2, fall: 2 }
template:
  configSnapshot: links-config
  limits: { maxBodyBytes: 16384, partnerRps: 200 }
  knobs: { outboxFlushMs: 200 }
`;

function world(text = WORLD): World {
  const result = lintWorldText(text);
  if (!result.world) throw new Error(JSON.stringify(result.diagnostics));
  return result.world;
}

describe('expectedRegionStatus', () => {
  it('instantiates the template with the region’s own name, CIDR and address', () => {
    const s = expectedRegionStatus(world(), 'af-south-1', { defaultBuild: '9.9.9' });
    expect(s).toMatchObject({
      kind: 'region',
      name: 'af-south-1',
      cidr: '10.30.0.0/16',
      address: '127.0.3.1',
      port: 8080,
      buildVersion: '9.9.9',
      services: { links: '0.1.0', edge: '9.9.9' },
      config: { name: 'links-config' },
      health: { path: '/healthz', intervalMs: 500, timeoutMs: 300, rise: 2, fall: 2 },
      limits: { maxBodyBytes: 16384, partnerRps: 200 },
      knobs: { outboxFlushMs: 200 },
      overrides: [],
    });
    expect(s.worldHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('applies declared overrides and lists the ones that differ from the template', () => {
    const s = expectedRegionStatus(world(), 'eu-west-2', { defaultBuild: '1.0.0' });
    expect(s.port).toBe(9090);
    expect(s.health.intervalMs).toBe(1000);
    expect(s.limits).toEqual({ maxBodyBytes: 16384, partnerRps: 50 });
    expect(s.knobs).toEqual({ outboxFlushMs: 200, canary: true });
    expect(s.services.links).toBe('0.2.0');
    expect(s.overrides).toEqual([
      { path: 'services.links', template: '0.1.0', value: '0.2.0' },
      { path: 'health.intervalMs', template: 500, value: 1000 },
      { path: 'limits.partnerRps', template: 200, value: 50 },
      { path: 'knobs.canary', template: null, value: true },
    ]);
  });

  it('gives home the home-only services', () => {
    const s = expectedRegionStatus(world(), 'us-west-2', { kind: 'home', defaultBuild: '1.0.0' });
    expect(s.kind).toBe('home');
    expect(s.services).toEqual({ config: '1.0.0' });
    const r = expectedRegionStatus(world(), 'us-west-2', { defaultBuild: '1.0.0' });
    expect(r.services).toEqual({ links: '0.1.0' });
  });

  it('prefers the template’s build over the default, and a region override over both', () => {
    const w = world(
      WORLD.replace('configSnapshot: links-config', 'configSnapshot: links-config\n  build: 2.0.0').replace(
        'services: { links: 0.2.0 }',
        'build: 2.1.0',
      ),
    );
    expect(expectedRegionStatus(w, 'af-south-1', { defaultBuild: '1.0.0' }).buildVersion).toBe('2.0.0');
    const eu = expectedRegionStatus(w, 'eu-west-2', { defaultBuild: '1.0.0' });
    expect(eu.buildVersion).toBe('2.1.0');
    expect(eu.overrides[0]).toEqual({ path: 'buildVersion', template: '2.0.0', value: '2.1.0' });
  });

  it('inherits the world health settings a region does not override', () => {
    const w = world(WORLD.replace('rise: 2, fall: 2 }', 'rise: 3, fall: 4 }'));
    const s = expectedRegionStatus(w, 'eu-west-2', { defaultBuild: '1.0.0' });
    expect(s.health).toEqual({ path: '/healthz', intervalMs: 1000, timeoutMs: 300, rise: 3, fall: 4 });
    expect(s.overrides.filter((o) => o.path.startsWith('health.'))).toHaveLength(1);
  });

  it('throws for an undeclared region', () => {
    expect(() => expectedRegionStatus(world(), 'mars-1', { defaultBuild: '1' })).toThrow(/mars-1/);
  });

  it('defaults the template when the world file has none', () => {
    const w = world(WORLD.replace(/template:[\s\S]*$/, ''));
    expect(regionTemplate(w)).toMatchObject({ configSnapshot: 'config', limits: {}, knobs: {} });
  });
});

describe('world schema', () => {
  it('rejects an unknown override key with a positioned diagnostic', () => {
    const r = lintWorldText(WORLD.replace('limits: { partnerRps: 50 }', 'limitz: { partnerRps: 50 }'));
    expect(r.world).toBeUndefined();
    expect(r.diagnostics.some((d) => d.path.startsWith('regions.eu-west-2.overrides'))).toBe(true);
  });

  it('accepts the shipped examples', () => {
    for (const f of ['minimal.yaml', 'world.yaml']) {
      const text = readFileSync(new URL(`../../examples/${f}`, import.meta.url), 'utf8');
      expect(lintWorldText(text).world).toBeDefined();
    }
  });
});

describe('regionStatus', () => {
  it('produces a valid /status body that matches the expectation', () => {
    const w = world();
    const body = regionStatus(w, 'eu-west-2', {
      buildVersion: '1.0.0',
      config: { version: 7, createdAt: new Date(Date.UTC(2026, 0, 1)) },
      startedAt: new Date(Date.UTC(2026, 0, 2)),
    });
    expect(regionStatusSchema.parse(JSON.parse(JSON.stringify(body)))).toEqual(body);
    const expected = expectedRegionStatus(w, 'eu-west-2', { defaultBuild: '1.0.0' });
    expect(body).toMatchObject({
      kind: 'region',
      name: 'eu-west-2',
      buildVersion: '1.0.0',
      worldHash: w.hash,
      services: expected.services,
      config: { name: 'links-config', version: 7, createdAt: '2026-01-01T00:00:00.000Z', warm: true },
      health: expected.health,
      limits: expected.limits,
      knobs: expected.knobs,
      startedAt: '2026-01-02T00:00:00.000Z',
    });
  });

  it('is cold before the first config and reports unpinned services at the running build', () => {
    const body = regionStatus(world(), 'af-south-1', {
      buildVersion: '3.0.0',
      startedAt: '2026-01-01T00:00:00Z',
    });
    expect(body.config).toEqual({ name: 'links-config', version: null, createdAt: null, warm: false });
    expect(body.services).toEqual({ links: '0.1.0', edge: '3.0.0' });
  });
});
