// The audit proper: declared regions (the template instantiated per region) against what each
// endpoint's `/status` said. Pure: observations in, a terraform-plan-like report out.
import type { DeclaredOverride, ExpectedRegionStatus, RegionStatus, World } from '../world/index.js';
import { expectedRegionStatus } from '../world/index.js';
import { endpointKey } from './audit-targets.js';
import type { Observation } from './observation.js';

/** One difference inside a region: `update` (~), `create` (+ declared, not live), `delete` (- live, not declared). */
export interface AuditChange {
  readonly action: 'update' | 'create' | 'delete';
  /** Status field path such as `buildVersion`, `health.intervalMs`, `services.links`. */
  readonly path: string;
  readonly live?: unknown;
  readonly declared?: unknown;
  readonly detail?: string;
}

export interface RegionAudit {
  /** The declared name, or for an unexpected endpoint the name it claims (null if none). */
  readonly name: string | null;
  readonly kind: 'region' | 'home';
  /** `host:port`. */
  readonly endpoint: string;
  /** consistent; changed (~); missing (+, declared but not answering); unexpected (-). */
  readonly state: 'consistent' | 'changed' | 'missing' | 'unexpected';
  readonly changes: readonly AuditChange[];
  /** Why a region is missing or unexpected. */
  readonly reason?: string;
  /** Declared per-region overrides: intended, reported, never drift. */
  readonly overrides: readonly DeclaredOverride[];
}

export interface AuditReport {
  readonly worldHash: string;
  readonly expectedBuild: string;
  /** The newest snapshot of each config name seen at any declared endpoint (home included): the reference for lag. */
  readonly newestConfig: Readonly<Record<string, Snapshot>>;
  readonly regions: readonly RegionAudit[];
  readonly summary: {
    readonly consistent: number;
    readonly changed: number;
    readonly missing: number;
    readonly unexpected: number;
  };
  readonly drift: boolean;
}

export interface Snapshot {
  readonly version: number;
  readonly createdAt: string | null;
}

export interface AuditOptions {
  /** Build expected where the world file's template names none (the auditor's version). */
  readonly defaultBuild: string;
  /** Wall time of the audit (ms), for config lag. */
  readonly nowMs: number;
  /** A region this many versions or fewer behind the newest snapshot is not drift on count alone (default 1). */
  readonly maxConfigLagVersions?: number;
  /** A region behind the newest snapshot for longer than this is drift (default 30). */
  readonly maxConfigLagSeconds?: number;
}

/** Diffs every observation against the world; never throws on any observation. */
export function auditWorld(
  world: World,
  observations: readonly Observation[],
  options: AuditOptions,
): AuditReport {
  const newestConfig = newestSnapshots(observations);
  const regions: RegionAudit[] = [];
  const declaredEndpoints = new Map<string, string>();
  for (const obs of observations) {
    const key = endpointKey(obs.target.host, obs.target.port);
    const declared = obs.target.declared;
    if (declared) {
      declaredEndpoints.set(`${declared.kind}:${declared.name}`, key);
      const expected = expectedRegionStatus(world, declared.name, {
        kind: declared.kind,
        defaultBuild: options.defaultBuild,
      });
      if (!obs.ok) {
        regions.push({
          name: declared.name,
          kind: declared.kind,
          endpoint: key,
          state: 'missing',
          changes: [],
          reason: obs.reason,
          overrides: expected.overrides,
        });
        continue;
      }
      const changes = diffStatus(expected, obs.status, newestConfig, options);
      regions.push({
        name: declared.name,
        kind: declared.kind,
        endpoint: key,
        state: changes.length === 0 ? 'consistent' : 'changed',
        changes,
        overrides: expected.overrides,
      });
      continue;
    }
    if (!obs.ok) {
      // Silence means no region there. Only a listed endpoint that answers something other
      // than a status is worth a line; a discovery sweep meets unrelated servers.
      if (obs.target.origin === 'extra' && obs.answered) {
        regions.push({
          name: null,
          kind: 'region',
          endpoint: key,
          state: 'unexpected',
          changes: [],
          reason: `answers HTTP but not with a Meridian status (${obs.reason})`,
          overrides: [],
        });
      }
      continue;
    }
    const s = obs.status;
    const isDeclared =
      s.kind === 'home' ? s.name === world.home : world.regions.some((r) => r.name === s.name);
    regions.push({
      name: s.name,
      kind: s.kind,
      endpoint: key,
      state: 'unexpected',
      changes: [],
      reason: isDeclared
        ? `answering as ${s.kind} "${s.name}", which the world file declares at ${
            declaredEndpoints.get(`${s.kind}:${s.name}`) ?? 'another endpoint'
          }`
        : `answering as ${s.kind} "${s.name}", which the world file does not declare`,
      overrides: [],
    });
  }
  const count = (state: RegionAudit['state']) => regions.filter((r) => r.state === state).length;
  const summary = {
    consistent: count('consistent'),
    changed: count('changed'),
    missing: count('missing'),
    unexpected: count('unexpected'),
  };
  return {
    worldHash: world.hash,
    expectedBuild: world.template.build ?? options.defaultBuild,
    newestConfig,
    regions,
    summary,
    drift: summary.changed + summary.missing + summary.unexpected > 0,
  };
}

/** Every difference between what a region should report and what it reported. */
export function diffStatus(
  expected: ExpectedRegionStatus,
  live: RegionStatus,
  newestConfig: AuditReport['newestConfig'],
  options: AuditOptions,
): AuditChange[] {
  const changes: AuditChange[] = [];
  const newest = newestConfig[live.config.name];
  const scalar = (path: string, liveValue: unknown, declared: unknown) => {
    if (liveValue !== declared) changes.push({ action: 'update', path, live: liveValue, declared });
  };
  scalar('kind', live.kind, expected.kind);
  scalar('name', live.name, expected.name);
  scalar('buildVersion', live.buildVersion, expected.buildVersion);
  scalar('worldHash', live.worldHash, expected.worldHash);
  changes.push(...diffRecord('services', live.services, expected.services));
  scalar('config.name', live.config.name, expected.config.name);
  if (!live.config.warm) {
    changes.push({
      action: 'update',
      path: 'config.warm',
      live: false,
      declared: true,
      detail: 'no config snapshot loaded yet',
    });
  } else if (newest && live.config.version !== null && live.config.name === expected.config.name) {
    const newestConfig = newest;
    const behind = newestConfig.version - live.config.version;
    const newestAgeSeconds =
      newestConfig.createdAt === null ? null : (options.nowMs - Date.parse(newestConfig.createdAt)) / 1000;
    const maxVersions = options.maxConfigLagVersions ?? 1;
    const maxSeconds = options.maxConfigLagSeconds ?? 30;
    const tooOld = behind > 0 && newestAgeSeconds !== null && newestAgeSeconds > maxSeconds;
    if (behind > maxVersions || tooOld) {
      const age = newestAgeSeconds === null ? '' : `, published ${Math.round(newestAgeSeconds)} s ago`;
      changes.push({
        action: 'update',
        path: 'config.version',
        live: live.config.version,
        declared: newestConfig.version,
        detail: `${behind} version${behind === 1 ? '' : 's'} behind the newest snapshot${age} (limits: ${maxVersions} versions, ${maxSeconds} s)`,
      });
    }
  }
  const older = live.config.rejectingOlder;
  if (older) {
    changes.push({
      action: 'update',
      path: 'config.rejectingOlder',
      live: older.polls,
      declared: 0,
      detail: `refusing older snapshots from ${older.source} (v${older.offeredVersion} offered, v${live.config.version ?? '?'} held) for ${older.polls} polls in a row since ${older.since}; its revocations and changes are not applied. Home may have restarted its version numbering: compare home's config.version`,
    });
  }
  changes.push(...diffRecord('health', live.health, expected.health));
  changes.push(...diffRecord('limits', live.limits, expected.limits));
  changes.push(...diffRecord('knobs', live.knobs, expected.knobs));
  return changes;
}

function diffRecord(
  prefix: string,
  live: Readonly<Record<string, unknown>>,
  declared: Readonly<Record<string, unknown>>,
): AuditChange[] {
  const keys = [...new Set([...Object.keys(declared), ...Object.keys(live)])].sort();
  const out: AuditChange[] = [];
  for (const key of keys) {
    const path = `${prefix}.${key}`;
    const inLive = Object.hasOwn(live, key);
    const inDeclared = Object.hasOwn(declared, key);
    if (inDeclared && !inLive) out.push({ action: 'create', path, declared: declared[key] });
    else if (inLive && !inDeclared) out.push({ action: 'delete', path, live: live[key] });
    else if (live[key] !== declared[key])
      out.push({ action: 'update', path, live: live[key], declared: declared[key] });
  }
  return out;
}

/** The highest snapshot version per config name that any declared endpoint reports. */
function newestSnapshots(observations: readonly Observation[]): Record<string, Snapshot> {
  const newest: Record<string, Snapshot> = {};
  for (const obs of observations) {
    if (!obs.ok || !obs.target.declared) continue;
    const c = obs.status.config;
    if (c.version === null) continue;
    const seen = newest[c.name];
    if (!seen || c.version > seen.version) newest[c.name] = { version: c.version, createdAt: c.createdAt };
  }
  return newest;
}
