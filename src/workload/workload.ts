// What a service brings to Meridian: its routes, its soft writes (events a region records in its
// outbox and home ingests, each with its ingest handler), its config snapshot schema and its
// health checks, for each side. `meridian region` and `meridian home` run any workload; `links`
// is one (src/links/io/links-workload.ts). Types only: no I/O here.
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { ZodType } from 'zod';
import type { ConfigCache } from '../config/index.js';
import type { Clock } from '../core/index.js';
import type { HealthCheck } from '../health/index.js';
import type { HttpLimitOverrides } from '../http/index.js';
import type { SessionKeyRing } from '../session/index.js';
import type { HomeDatabase, Migration } from './home-database.js';

/** Home's database (SQLite or PostgreSQL, `$1` placeholders): see ./home-database.ts. */
export type WorkloadDatabase = HomeDatabase;

/**
 * One step of a workload's home schema, applied once, in `version` order, with home's own.
 * Versions are unique across home and the workload it runs: 1–2 links (its tables predate
 * workloads), 3–999 home's own, 1000–1999 profiles, 10000 and up yours.
 */
export type WorkloadMigration = Migration;

/** An event a region's outbox carries home (never a synchronous call to home). */
export interface SoftWrite {
  readonly description: string;
  /**
   * Home folds one newly ingested event of this type, inside the projection's transaction
   * (exactly once: a duplicate delivery never reaches it twice).
   */
  ingest(tx: Pick<WorkloadDatabase, 'query'>, payload: unknown): Promise<void>;
}

/** What a region gives the workload's routes. */
export interface RegionWorkloadContext<C> {
  readonly region: string;
  readonly app: FastifyInstance;
  /** The current snapshot's data, or undefined while the region is cold. */
  readonly config: () => C | undefined;
  /** The cache itself: for an external cache that follows it (`RedisSnapshotCache`). */
  readonly cache: ConfigCache<C>;
  /** The durable outbox: the response waits for the local group commit, never for home. */
  readonly events: {
    enqueue(
      type: string,
      payload: Record<string, unknown>,
      options: { key: string },
    ): Promise<unknown> | undefined;
  };
  readonly sessionKeys: SessionKeyRing;
  /** The world file's limits for this region. */
  readonly limits: {
    /** Cap on every partner's rate (`limits.partnerRps`), if the world sets one. */
    readonly partnerRps?: number | undefined;
    readonly clientSharePercent: number;
  };
  readonly clock: Clock;
  readonly registry: Registry;
}

/** What home gives the workload's admin and home-only routes. */
export interface HomeWorkloadContext<C> {
  readonly app: FastifyInstance;
  readonly db: WorkloadDatabase;
  readonly clock: Clock;
  /** Bearer token of the admin API (every `/v1/admin/` route is already guarded by home). */
  readonly adminToken: string;
  readonly adminAllowedHosts?: readonly string[] | undefined;
  /** The key a signing sender (`region:<name>`, `partner:<id>`) signs its requests with. */
  readonly senderKey: (sender: string) => Uint8Array;
  /** Applies a change, then publishes the next snapshot (`buildConfig`); one change at a time. */
  readonly change: <T>(fn: () => Promise<T>) => Promise<{ result: T; configVersion: number }>;
  /** The snapshot last published. */
  readonly currentConfig: () => C;
  /** The regions' session key ring, when home was given one (reads full session IDs). */
  readonly sessionKeys?: SessionKeyRing | undefined;
  /** Folds every soft write ingested so far (their handlers) now; resolves with how many. */
  readonly foldNow: () => Promise<number>;
}

/** What `registerRegion` hands back to the region runtime. */
export interface RegionWorkloadParts {
  /** Checks besides the runtime's (config-warm, outbox-writable…), e.g. an external cache's warmth. */
  readonly healthChecks: readonly HealthCheck[];
  /** Closes what the workload opened (closed before the runtime's own parts). */
  readonly close?: () => Promise<void> | void;
}

/** A write route that must stay home: no region may register it (see lintWorkload). */
export interface HomeOnlyRoute {
  readonly method: string;
  readonly url: string;
  /** Why, for the lint message (e.g. "erasure must be strongly consistent"). */
  readonly why: string;
}

export interface RegionAppOptions {
  readonly region: string;
  readonly maxBodyBytes: number;
  readonly registry: Registry;
  readonly httpLimits?: HttpLimitOverrides;
  readonly logger?: boolean | { level: string };
}

export interface Workload<C> {
  /** As the world file's `hostnames.*.workload` names it. */
  readonly name: string;
  /** The config snapshot's data: home publishes it, regions verify it before use. */
  readonly configSchema: ZodType<C>;
  /** Event types a region writes softly, with home's ingest handler for each. */
  readonly softWrites: Readonly<Record<string, SoftWrite>>;
  /** The region's Fastify app: the workload's error contract and router limits (not listening). */
  createRegionApp(options: RegionAppOptions): FastifyInstance;
  /** Registers the workload's region routes; returns its own health checks and closer. */
  registerRegion(context: RegionWorkloadContext<C>): RegionWorkloadParts;
  /** Write routes that must stay home (checked by `lintWorkload`: no region may serve them). */
  readonly homeOnly?: readonly HomeOnlyRoute[];
  readonly home: {
    readonly migrations: readonly WorkloadMigration[];
    /** The snapshot data from home's tables (published at start and after every change). */
    buildConfig(db: WorkloadDatabase): Promise<C>;
    /** Registers the admin API and the home-only routes (writes that must stay home). */
    registerRoutes(context: HomeWorkloadContext<C>): void;
    /** The error handlers home answers with (the workload's error body). */
    installErrors(app: FastifyInstance): void;
    /** What `GET /v1/stats` answers, from what the ingest handlers folded. */
    stats(db: WorkloadDatabase): Promise<unknown>;
  };
}
