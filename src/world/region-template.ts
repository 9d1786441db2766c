// The region module: one template says what a region is; each declared region is an instance
// of it (its own name, CIDR, location, address) plus its declared overrides. `RegionStatus` is
// what a region (and home) serves at `GET /status`; `meridian audit` diffs it against
// `expectedRegionStatus`.
import { z } from 'zod';
import { MeridianError } from '../core/index.js';
import type { World } from './world.js';
import type { HealthSettings, RegionOverrides } from './world-schema.js';

export type KnobValue = string | number | boolean;

/** What every region is, before any per-region override. */
export interface RegionTemplate {
  /** Expected Meridian build; `undefined` when the world file leaves it to the auditor. */
  readonly build?: string;
  readonly configSnapshot: string;
  readonly health: HealthSettings;
  readonly limits: Readonly<Record<string, number>>;
  readonly knobs: Readonly<Record<string, KnobValue>>;
}

/** One declared deviation of a region from the template: intended, never drift. */
export interface DeclaredOverride {
  /** Status field path, e.g. `limits.partnerRps`, `health.intervalMs`, `services.links`. */
  readonly path: string;
  readonly template: unknown;
  readonly value: unknown;
}

/** What a region (or home) should report at `/status`, plus where it lives. */
export interface ExpectedRegionStatus {
  readonly kind: 'region' | 'home';
  readonly name: string;
  readonly cidr: string;
  readonly location: { readonly lat: number; readonly lon: number };
  readonly address: string;
  readonly port: number;
  readonly buildVersion: string;
  readonly worldHash: string;
  /** Service name → expected version. */
  readonly services: Readonly<Record<string, string>>;
  readonly config: { readonly name: string };
  readonly health: HealthSettings;
  readonly limits: Readonly<Record<string, number>>;
  readonly knobs: Readonly<Record<string, KnobValue>>;
  readonly overrides: readonly DeclaredOverride[];
}

const knobValue = z.union([z.string(), z.number(), z.boolean()]);

/**
 * The JSON served at `GET /status` by every region and by home. Unknown extra fields are
 * allowed (and ignored by the audit), so runtimes may report more.
 */
export const regionStatusSchema = z.object({
  kind: z.enum(['region', 'home']),
  name: z.string(),
  buildVersion: z.string(),
  worldHash: z.string(),
  services: z.record(z.string(), z.string()),
  config: z.object({
    name: z.string(),
    /** Snapshot version; null until the first warm. */
    version: z.number().int().nullable(),
    /** ISO 8601 creation time of the snapshot held; null until the first warm. */
    createdAt: z.string().nullable(),
    warm: z.boolean(),
    /**
     * Present while the region refuses older snapshots than the one it holds, polls in a row
     * (at least its alert threshold): home may have restarted its version numbering.
     */
    rejectingOlder: z
      .object({
        polls: z.number().int(),
        /** ISO 8601 time of the first poll of the run. */
        since: z.string(),
        source: z.string(),
        offeredVersion: z.number().int(),
      })
      .optional(),
  }),
  health: z.object({
    path: z.string(),
    intervalMs: z.number(),
    timeoutMs: z.number(),
    rise: z.number(),
    fall: z.number(),
  }),
  limits: z.record(z.string(), z.number()),
  knobs: z.record(z.string(), knobValue),
  /** ISO 8601 time the process started. */
  startedAt: z.string(),
});

export type RegionStatus = z.infer<typeof regionStatusSchema>;

/** The template as the world file declares it (template section plus world health settings). */
export function regionTemplate(world: World): RegionTemplate {
  return {
    ...(world.template.build ? { build: world.template.build } : {}),
    configSnapshot: world.template.configSnapshot,
    health: world.health,
    limits: world.template.limits,
    knobs: world.template.knobs,
  };
}

export interface ExpectedStatusOptions {
  /** `home` for the home services' status (default `region`). */
  readonly kind?: 'region' | 'home';
  /** Build expected when the template names none: usually the running `meridian`'s version. */
  readonly defaultBuild: string;
}

/**
 * Instantiates the template for `regionName` (home's name with kind `home`). Services are the
 * region's multi-region ones for kind `region` and the home-only ones for kind `home`; a
 * service without a declared version is expected at the build version. Throws when the
 * region is not declared
 * (MERIDIAN_WORLD_NO_SUCH_REGION).
 */
export function expectedRegionStatus(
  world: World,
  regionName: string,
  options: ExpectedStatusOptions,
): ExpectedRegionStatus {
  const region = world.regions.find((r) => r.name === regionName);
  if (!region) {
    throw new MeridianError('MERIDIAN_WORLD_NO_SUCH_REGION', `no region "${regionName}" in the world file`);
  }
  const kind = options.kind ?? 'region';
  const template = regionTemplate(world);
  const o = region.overrides as RegionOverrides;
  const overrides: DeclaredOverride[] = [];

  const templateBuild = template.build ?? options.defaultBuild;
  const buildVersion = o.build ?? templateBuild;
  if (o.build !== undefined && o.build !== templateBuild) {
    overrides.push({ path: 'buildVersion', template: templateBuild, value: o.build });
  }

  const services = servicesOf(world, regionName, kind, buildVersion);
  for (const [name, declared] of Object.entries(o.services ?? {})) {
    const base = services[name];
    if (base === undefined) continue;
    services[name] = declared;
    if (declared !== base) overrides.push({ path: `services.${name}`, template: base, value: declared });
  }

  const configName = o.configSnapshot ?? template.configSnapshot;
  if (configName !== template.configSnapshot) {
    overrides.push({ path: 'config.name', template: template.configSnapshot, value: configName });
  }

  for (const key of Object.keys(region.health) as (keyof HealthSettings)[]) {
    if (region.health[key] !== template.health[key]) {
      overrides.push({ path: `health.${key}`, template: template.health[key], value: region.health[key] });
    }
  }

  const limits = { ...template.limits, ...o.limits };
  for (const [key, value] of Object.entries(o.limits ?? {})) {
    if (template.limits[key] !== value) {
      overrides.push({ path: `limits.${key}`, template: template.limits[key] ?? null, value });
    }
  }
  const knobs = { ...template.knobs, ...o.knobs };
  for (const [key, value] of Object.entries(o.knobs ?? {})) {
    if (template.knobs[key] !== value) {
      overrides.push({ path: `knobs.${key}`, template: template.knobs[key] ?? null, value });
    }
  }

  return {
    kind,
    name: region.name,
    cidr: region.cidrText,
    location: { lat: region.location.lat, lon: region.location.lon },
    address: region.address,
    port: region.port,
    buildVersion,
    worldHash: world.hash,
    services,
    config: { name: configName },
    health: { ...region.health },
    limits,
    knobs,
    overrides,
  };
}

/** What a running region knows that the world file does not. */
export interface LiveRegionFacts {
  readonly kind?: 'region' | 'home';
  /** The build this process runs (e.g. the package version). */
  readonly buildVersion: string;
  /** Current config snapshot; omit (or `version: null`) before the first warm. */
  readonly config?: {
    readonly version: number | null;
    readonly createdAt: Date | string | null;
    /** The region is refusing older snapshots, this many polls in a row (omit when it is not). */
    readonly rejectingOlder?: {
      readonly polls: number;
      readonly since: Date | string;
      readonly source: string;
      readonly offeredVersion: number;
    };
  };
  readonly startedAt: Date | string;
  /** Service versions actually running; default: what the template expects. */
  readonly services?: Readonly<Record<string, string>>;
}

/**
 * The `/status` body of a region (or home) that runs exactly what the world file declares
 * for it, given the live facts. A runtime calls this on each request (it is cheap and pure).
 */
export function regionStatus(world: World, regionName: string, live: LiveRegionFacts): RegionStatus {
  const expected = expectedRegionStatus(world, regionName, {
    kind: live.kind ?? 'region',
    defaultBuild: live.buildVersion,
  });
  const version = live.config?.version ?? null;
  const createdAt = live.config?.createdAt ?? null;
  const older = live.config?.rejectingOlder;
  return {
    kind: expected.kind,
    name: expected.name,
    buildVersion: live.buildVersion,
    worldHash: world.hash,
    services: { ...(live.services ?? runningServices(world, expected, live.buildVersion)) },
    config: {
      name: expected.config.name,
      version,
      createdAt: createdAt === null ? null : toIso(createdAt),
      warm: version !== null,
      ...(older ? { rejectingOlder: { ...older, since: toIso(older.since) } } : {}),
    },
    health: { ...expected.health },
    limits: { ...expected.limits },
    knobs: { ...expected.knobs },
    startedAt: toIso(live.startedAt),
  };
}

/** Declared service versions, with unversioned services at the build actually running. */
function runningServices(
  world: World,
  expected: ExpectedRegionStatus,
  buildVersion: string,
): Record<string, string> {
  const fallback = servicesOf(world, expected.name, expected.kind, buildVersion);
  const declared = servicesOf(world, expected.name, expected.kind, '');
  const out: Record<string, string> = {};
  for (const [name, version] of Object.entries(expected.services)) {
    const unpinned = declared[name] === '' && !expected.overrides.some((o) => o.path === `services.${name}`);
    out[name] = unpinned ? (fallback[name] ?? version) : version;
  }
  return out;
}

/** Services a region (or home) runs, at their declared version or else `fallbackVersion`. */
function servicesOf(
  world: World,
  regionName: string,
  kind: 'region' | 'home',
  fallbackVersion: string,
): Record<string, string> {
  const services: Record<string, string> = {};
  for (const s of world.services) {
    const runsHere =
      kind === 'home' ? s.placement === 'home' : s.placement !== 'home' && s.regions.includes(regionName);
    if (runsHere) services[s.name] = s.version ?? fallbackVersion;
  }
  return services;
}

function toIso(t: Date | string): string {
  return typeof t === 'string' ? t : t.toISOString();
}
