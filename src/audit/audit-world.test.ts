import { describe, expect, it } from 'vitest';
import { lintWorldText, type RegionStatus, regionStatus, type World } from '../world/index.js';
import { type AuditTarget, auditTargets } from './audit-targets.js';
import { auditWorld } from './audit-world.js';
import { formatAuditPlan } from './format-audit-plan.js';
import type { Observation } from './observation.js';

const NOW = Date.UTC(2026, 5, 1, 12, 0, 0);

const world: World = (() => {
  const r = lintWorldText(`
zone: example.test
home: us-west-2
regions:
  us-west-2: { cidr: 10.10.0.0/16, address: 127.0.1.1 }
  eu-west-2: { cidr: 10.20.0.0/16, address: 127.0.2.1, overrides: { knobs: { canary: true } } }
services:
  links: { in: all, version: 1.0.0 }
  config: { in: home }
template:
  build: 2.0.0
  limits: { partnerRps: 200 }
  knobs: { outboxFlushMs: 200 }
`);
  if (!r.world) throw new Error(JSON.stringify(r.diagnostics));
  return r.world;
})();

const targets = auditTargets(world);

function status(name: string, kind: 'region' | 'home' = 'region', version = 5, ageMs = 10_000): RegionStatus {
  return regionStatus(world, name, {
    kind,
    buildVersion: '2.0.0',
    config: { version, createdAt: new Date(NOW - ageMs) },
    startedAt: new Date(NOW - 100_000),
  });
}

function healthyObservations(): Observation[] {
  return targets.map((target) => ({
    target,
    ok: true as const,
    status: status(target.declared!.name, target.declared!.kind),
  }));
}

function audit(observations: Observation[], opts: { versions?: number; seconds?: number } = {}) {
  return auditWorld(world, observations, {
    defaultBuild: '0.0.0',
    nowMs: NOW,
    ...(opts.versions === undefined ? {} : { maxConfigLagVersions: opts.versions }),
    ...(opts.seconds === undefined ? {} : { maxConfigLagSeconds: opts.seconds }),
  });
}

function withStatus(i: number, change: (s: RegionStatus) => RegionStatus): Observation[] {
  const obs = healthyObservations();
  const o = obs[i]!;
  if (!o.ok) throw new Error('unreachable');
  obs[i] = { ...o, status: change(o.status) };
  return obs;
}

describe('auditWorld', () => {
  it('finds a world that runs what it declares consistent, overrides included', () => {
    const report = audit(healthyObservations());
    expect(report.drift).toBe(false);
    expect(report.summary).toEqual({ consistent: 3, changed: 0, missing: 0, unexpected: 0 });
    expect(report.regions[1]!.overrides).toEqual([{ path: 'knobs.canary', template: null, value: true }]);
  });

  it.each([
    ['build', (s: RegionStatus) => ({ ...s, buildVersion: '2.0.1' }), 'buildVersion', 'update'],
    ['world hash', (s: RegionStatus) => ({ ...s, worldHash: 'x' }), 'worldHash', 'update'],
    [
      'service version',
      (s: RegionStatus) => ({ ...s, services: { links: '0.9.0' } }),
      'services.links',
      'update',
    ],
    ['missing service', (s: RegionStatus) => ({ ...s, services: {} }), 'services.links', 'create'],
    [
      'extra knob',
      (s: RegionStatus) => ({ ...s, knobs: { ...s.knobs, debug: true } }),
      'knobs.debug',
      'delete',
    ],
    [
      'changed limit',
      (s: RegionStatus) => ({ ...s, limits: { partnerRps: 100 } }),
      'limits.partnerRps',
      'update',
    ],
    ['health', (s: RegionStatus) => ({ ...s, health: { ...s.health, fall: 5 } }), 'health.fall', 'update'],
    [
      'config name',
      (s: RegionStatus) => ({ ...s, config: { ...s.config, name: 'other' } }),
      'config.name',
      'update',
    ],
    [
      'cold config',
      (s: RegionStatus) => ({ ...s, config: { ...s.config, version: null, createdAt: null, warm: false } }),
      'config.warm',
      'update',
    ],
    ['wrong kind', (s: RegionStatus) => ({ ...s, kind: 'home' as const }), 'kind', 'update'],
  ])('reports a changed %s', (_, change, path, action) => {
    const report = audit(withStatus(0, change));
    expect(report.drift).toBe(true);
    expect(report.regions[0]!.state).toBe('changed');
    expect(report.regions[0]!.changes.map((c) => [c.path, c.action])).toEqual([[path, action]]);
  });

  it('measures config lag against the newest snapshot any declared endpoint reports', () => {
    // Home published version 8 ten seconds ago; eu-west-2 still has 5.
    const obs = withStatus(2, (s) => ({
      ...s,
      config: { ...s.config, version: 8, createdAt: new Date(NOW - 10_000).toISOString() },
    }));
    const lagging = withStatus(1, (s) => s).map((o, i) => (i === 2 ? obs[2]! : o));
    expect(audit(lagging, { versions: 3 }).drift).toBe(false);
    const r = audit(lagging, { versions: 2 });
    expect(r.newestConfig).toEqual({
      config: { version: 8, createdAt: new Date(NOW - 10_000).toISOString() },
    });
    expect(r.regions[0]!.changes[0]).toMatchObject({ path: 'config.version', live: 5, declared: 8 });
    // One behind is tolerated by count, but not once the newest has been out too long.
    expect(audit(lagging, { versions: 10, seconds: 9 }).drift).toBe(true);
    expect(audit(lagging, { versions: 10, seconds: 11 }).drift).toBe(false);
  });

  it('reports a region that refuses older snapshots as a problem, even when it holds the newest', () => {
    const obs = withStatus(0, (s) => ({
      ...s,
      config: {
        ...s.config,
        rejectingOlder: {
          polls: 12,
          since: new Date(NOW - 60_000).toISOString(),
          source: 'home',
          offeredVersion: 1,
        },
      },
    }));
    const r = audit(obs);
    expect(r.drift).toBe(true);
    expect(r.regions[0]!.state).toBe('changed');
    expect(r.regions[0]!.changes).toEqual([
      expect.objectContaining({
        path: 'config.rejectingOlder',
        live: 12,
        declared: 0,
        detail: expect.stringMatching(/v1 offered, v5 held.*restarted its version numbering/),
      }),
    ]);
    expect(formatAuditPlan(r, { file: 'meridian.yaml' })).toContain(
      '~ config.rejectingOlder: 12 -> 0 (refusing',
    );
  });

  it('reports a declared endpoint that does not answer as missing', () => {
    const obs = healthyObservations();
    obs[1] = { target: obs[1]!.target, ok: false, answered: false, reason: 'connect ECONNREFUSED' };
    const r = audit(obs);
    expect(r.regions[1]).toMatchObject({
      name: 'eu-west-2',
      state: 'missing',
      reason: 'connect ECONNREFUSED',
    });
    expect(r.summary.missing).toBe(1);
  });

  it('reports undeclared regions and impostors, and ignores silent discovered endpoints', () => {
    const extra = (host: string, origin: AuditTarget['origin']): AuditTarget => ({
      host,
      port: 8080,
      url: `http://${host}:8080/status`,
      origin,
    });
    const obs: Observation[] = [
      ...healthyObservations(),
      {
        target: extra('127.0.9.1', 'discovered'),
        ok: true,
        status: { ...status('eu-west-2'), name: 'ap-east-1' },
      },
      { target: extra('127.0.9.2', 'discovered'), ok: true, status: status('eu-west-2') },
      {
        target: extra('127.0.9.3', 'discovered'),
        ok: false,
        answered: true,
        reason: 'HTTP 404 from /status',
      },
      { target: extra('127.0.9.4', 'extra'), ok: false, answered: false, reason: 'connect ECONNREFUSED' },
      { target: extra('127.0.9.5', 'extra'), ok: false, answered: true, reason: 'HTTP 404 from /status' },
    ];
    const r = audit(obs);
    const unexpected = r.regions.filter((x) => x.state === 'unexpected');
    expect(unexpected.map((x) => [x.endpoint, x.name])).toEqual([
      ['127.0.9.1:8080', 'ap-east-1'],
      ['127.0.9.2:8080', 'eu-west-2'],
      ['127.0.9.5:8080', null],
    ]);
    expect(unexpected[1]!.reason).toContain('declares at 127.0.2.1:8080');
  });
});

describe('formatAuditPlan', () => {
  it('renders changed, missing and unexpected blocks and a summary line', () => {
    const obs = withStatus(0, (s) => ({ ...s, buildVersion: '2.0.1', knobs: { ...s.knobs, debug: true } }));
    obs[1] = { target: obs[1]!.target, ok: false, answered: false, reason: 'connect ECONNREFUSED' };
    obs.push({
      target: { host: '127.0.9.1', port: 8080, url: 'http://127.0.9.1:8080/status', origin: 'discovered' },
      ok: true,
      status: { ...status('us-west-2'), name: 'ap-east-1' },
    });
    const text = formatAuditPlan(audit(obs), { file: 'meridian.yaml' });
    expect(text.split('\n').slice(1)).toEqual([
      'Symbols: ~ differs from the world file (live -> declared), + declared but not live, - live but not declared',
      '',
      '  ~ region "us-west-2" at 127.0.1.1:8080',
      '      ~ buildVersion: "2.0.1" -> "2.0.0"',
      '      - knobs.debug = true',
      '',
      '  + region "eu-west-2" at 127.0.2.1:8080: declared but not answering (connect ECONNREFUSED)',
      '',
      '  - region "ap-east-1" at 127.0.9.1:8080: answering as region "ap-east-1", which the world file does not declare',
      '',
      '  = 1 consistent: home us-west-2',
      '',
      'Drift: 1 changed, 1 missing, 1 unexpected, 1 consistent.',
    ]);
    expect(text.split('\n')[0]).toMatch(
      /^meridian audit: meridian\.yaml \(world [0-9a-f]{12}, build 2\.0\.0\), 3 declared endpoints$/,
    );
  });
});
