// The validated world: every reference resolved, defaults applied, frozen. Built only from a
// world input that passed lint.
import { createHash } from 'node:crypto';
import { deepFreeze, type IpPrefix, parseCidr } from '../core/index.js';
import { type Coordinates, findCloudRegion } from '../geo/index.js';
import { defaultStaleAfterMs, type HealthCheck, resolveHealthCheck } from './health-check.js';
import { placementOf, relativeHostname } from './placement.js';
import { resolveStaticRecords, type StaticRecordSet } from './static-records.js';
import {
  DEFAULT_ACCESS_RTT_MS,
  type HealthInput,
  type HealthSettings,
  type Quorum,
  type WorldInput,
} from './world-schema.js';

export interface Region {
  readonly name: string;
  readonly index: number;
  readonly isHome: boolean;
  readonly cidr: IpPrefix;
  readonly cidrText: string;
  readonly location: Coordinates;
  readonly cloudRegion?: string;
  readonly address: string;
  readonly address6?: string;
  readonly port: number;
  /** World health settings with this region's overrides applied. */
  readonly health: HealthSettings;
  /** What is probed and what counts as up (world `health` with this region's overrides). */
  readonly check: HealthCheck;
  /** Age (ms) after which a vantage's observation of this region no longer counts. */
  readonly staleAfterMs: number;
  readonly overrides: Readonly<Record<string, unknown>>;
}

export interface Rollout {
  readonly region: string;
  /** Share in basis points (1/100 of a percent): 0 … 10 000. */
  readonly basisPoints: number;
  readonly sticky: boolean;
}

export interface Hostname {
  /** Lowercase name relative to the zone (`links`; `@` for the apex). */
  readonly name: string;
  /** Lowercase absolute name without the trailing dot. */
  readonly fqdn: string;
  readonly workload: string;
  readonly policy: 'latency' | 'failover' | 'home';
  readonly ttlSeconds: number;
  readonly answers: number;
  readonly whenAllDown: 'home' | 'all' | 'none';
  /** Regions running the workload; for `failover`, in the declared order. */
  readonly candidates: readonly string[];
  readonly rollout?: Rollout;
}

export interface Service {
  readonly name: string;
  readonly placement: 'all' | 'home' | readonly string[];
  readonly regions: readonly string[];
  readonly dependsOn: readonly { readonly service: string; readonly kind: 'hard' | 'soft' }[];
  readonly owns: readonly string[];
  readonly version?: string;
}

export interface Network {
  readonly name: string;
  readonly cidr: IpPrefix;
  readonly cidrText: string;
  readonly location: Coordinates;
}

/** A point the fleet probes regions from (`meridian probe --vantage NAME`). */
export interface Vantage {
  readonly name: string;
  /** The vantage's index in `world.vantages` (declaration order). */
  readonly index: number;
  readonly location: Coordinates;
  readonly cloudRegion?: string;
  /** Where `meridian up` runs this vantage's prober: the loopback address it probes from. */
  readonly lab?: { readonly address: string };
}

export interface World {
  readonly zone: string;
  readonly home: string;
  readonly regions: readonly Region[];
  readonly hostnames: readonly Hostname[];
  readonly services: readonly Service[];
  readonly health: HealthSettings;
  /** How many fresh vantages must see a region up (`health.quorum`, default `majority`). */
  readonly quorum: Quorum;
  /** Declared vantages, in declaration order (none: the world is probed from one place). */
  readonly vantages: readonly Vantage[];
  readonly networks: readonly Network[];
  /** Measured RTT in ms: latency[place][region]. */
  readonly latency: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly dns: WorldInput['dns'];
  /** Static records (`records:`), one entry per RRset. */
  readonly records: readonly StaticRecordSet[];
  /** The steered hostname (fqdn) whose addresses the apex answers with (`records.@.ALIAS`), or null. */
  readonly apexAlias: string | null;
  readonly template: NonNullable<WorldInput['template']>;
  readonly lab: NonNullable<WorldInput['lab']>;
  /** sha256 of the world file's bytes, hex; `/status` reports it and `audit` compares it. */
  readonly hash: string;
}

/** Resolves a lint-clean world input. Throws on inputs lint would reject. */
export function buildWorld(input: WorldInput, sourceText: string): World {
  const regionNames = Object.keys(input.regions);
  const regions: Region[] = regionNames.map((name, index) => {
    const r = input.regions[name]!;
    const cidr = parseCidr(r.cidr);
    const effective: HealthInput = { ...input.health, ...r.health };
    if (!cidr.ok) throw new Error(`regions.${name}.cidr: ${cidr.reason}`);
    return {
      name,
      index,
      isHome: name === input.home,
      cidr: cidr.value,
      cidrText: r.cidr,
      location: r.location ?? locate(r.cloudRegion ?? name),
      ...(r.cloudRegion || findCloudRegion(name) ? { cloudRegion: r.cloudRegion ?? name } : {}),
      address: r.address,
      ...(r.address6 ? { address6: r.address6 } : {}),
      port: r.port,
      health: healthSettingsOf(effective),
      check: resolveHealthCheck(effective, r.port),
      staleAfterMs: effective.staleAfterMs ?? defaultStaleAfterMs(effective),
      overrides: r.overrides ?? {},
    };
  });
  const services: Service[] = Object.entries(input.services).map(([name, s]) => ({
    name,
    placement: s.in,
    regions: placementOf(input, name),
    dependsOn: s.dependsOn,
    owns: s.owns,
    ...(s.version ? { version: s.version } : {}),
  }));
  const zone = input.zone.toLowerCase().replace(/\.$/, '');
  const hostnames: Hostname[] = Object.entries(input.hostnames).map(([key, h]) => {
    const name = relativeHostname(key, zone);
    const where = placementOf(input, h.workload);
    const candidates =
      h.policy === 'home'
        ? [input.home]
        : h.order
          ? [...h.order, ...where.filter((r) => !h.order!.includes(r))]
          : where;
    return {
      name,
      fqdn: name === '@' ? zone : `${name}.${zone}`,
      workload: h.workload,
      policy: h.policy,
      ttlSeconds: h.ttlSeconds,
      answers: h.answers,
      whenAllDown: h.whenAllDown,
      candidates,
      ...(h.rollout
        ? {
            rollout: {
              region: h.rollout.region,
              basisPoints: Math.round(h.rollout.percent * 100),
              sticky: h.rollout.sticky,
            },
          }
        : {}),
    };
  });
  const networks: Network[] = input.networks.map((n) => {
    const cidr = parseCidr(n.cidr);
    if (!cidr.ok) throw new Error(`networks.${n.name}.cidr: ${cidr.reason}`);
    return {
      name: n.name,
      cidr: cidr.value,
      cidrText: n.cidr,
      location: n.location ?? locate(n.cloudRegion ?? ''),
    };
  });
  const vantages: Vantage[] = Object.entries(input.vantages).map(([name, v], index) => ({
    name,
    index,
    location: v.location ?? locate(v.cloudRegion ?? ''),
    ...(v.cloudRegion ? { cloudRegion: v.cloudRegion } : {}),
    ...(v.lab ? { lab: { address: v.lab.address } } : {}),
  }));
  return deepFreeze({
    zone,
    home: input.home,
    regions,
    hostnames,
    services,
    health: healthSettingsOf(input.health),
    quorum: input.health.quorum ?? 'majority',
    vantages,
    networks,
    latency: input.latency ?? {},
    dns: input.dns,
    ...resolveStaticRecords(input, zone),
    template: input.template ?? { configSnapshot: 'config', limits: {}, knobs: {} },
    lab: input.lab ?? { accessRttMs: DEFAULT_ACCESS_RTT_MS, users: {}, resolverOrder: 'keep' },
    hash: createHash('sha256').update(sourceText).digest('hex'),
  });
}

/** The schedule and thresholds only: what a region's `/status` reports, as before checks grew. */
function healthSettingsOf(h: HealthInput): HealthSettings {
  return { path: h.path, intervalMs: h.intervalMs, timeoutMs: h.timeoutMs, rise: h.rise, fall: h.fall };
}

function locate(cloudRegion: string): Coordinates {
  const c = findCloudRegion(cloudRegion);
  if (!c) throw new Error(`no location for "${cloudRegion}"`);
  return c.location;
}
