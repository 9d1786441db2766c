// The composition root of a region: config cache (home, then escrow), session key ring, durable
// outbox and flusher, health registry, and a workload's routes (links, profiles, yours: see
// src/workload) on one Fastify server. The region is given home's URL and nothing else
// (topology rules 1 and 3). The benchmark's baseline (every request reads home) is links'
// own: src/links/io/start-baseline-region.ts.
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { ConfigCache, type ConfigSource, type EscrowStore, escrowSource } from '../../config/index.js';
import { directoryEscrowStore, diskLastGood, httpSource } from '../../config/io/index.js';
import { type Clock, MeridianError, systemClock } from '../../core/index.js';
import { HealthRegistry, ShutdownStack } from '../../health/index.js';
import { healthRoutes } from '../../health/io/index.js';
import type { HttpLimitOverrides } from '../../http/index.js';
import { HttpIngestTransport, Outbox, OutboxFlusher } from '../../outbox/io/index.js';
import type { SessionKeyRing } from '../../session/index.js';
import type { Workload } from '../../workload/index.js';
import { regionStatus, type World, type WorldAdoption } from '../../world/index.js';

import { configOlderCheck } from '../config-older-check.js';
import { type RegionSettings, regionSettings } from '../region-settings.js';
import { listenRegion } from './listen-region.js';

export interface RegionOptions<C = unknown> {
  /** What the region serves: its routes, soft writes, snapshot schema and health checks. */
  readonly workload: Workload<C>;
  readonly world: World;
  /** This region's name in the world file. */
  readonly name: string;
  /** Home's base URL, the only address the region talks to (e.g. http://127.0.0.1:7000). */
  readonly homeUrl: string;
  /** Listen address and port; default the world file's `regions.<name>.address` and `.port`. */
  readonly host?: string;
  readonly port?: number;
  /** The build this process runs (reported at /status). */
  readonly buildVersion: string;
  /** Where the outbox database lives. */
  readonly dataDir: string;
  /** Escrow directory tried when home does not answer… */
  readonly escrowDir?: string;
  /** …or any escrow store (S3: `s3EscrowStore`); takes precedence over escrowDir. */
  readonly escrow?: EscrowStore;
  /** Home's Ed25519 public key, PEM. */
  readonly configPublicKey: string;
  /** The session key ring every region shares (the workload derives what else it needs). */
  readonly sessionKeys: SessionKeyRing;
  /**
   * SQLite synchronous mode of the outbox. `normal` (default): a 201's event survives a crash
   * of the region process (kill -9), not a power loss of its machine. `full`: it survives power
   * loss too, but better-sqlite3 runs the fsync of every group commit on the event loop, which
   * blocked the region for ~47 % of its time under load (bench/links/README.md).
   */
  readonly outboxSynchronous?: 'full' | 'normal';
  /** Overrides of the shared HTTP limits of the region's listener (src/http). */
  readonly httpLimits?: HttpLimitOverrides;
  /**
   * This region's key (32 bytes; home's `region-keys/<name>.key`): it signs every request to
   * home and the outbox's batches (decision 0015).
   */
  readonly regionKey: Uint8Array;
  readonly clock?: Clock;
  readonly logger?: boolean | { level: string };
  /** Export prom-client's default process and Node metrics on /metrics (the `meridian region` program does). */
  readonly processMetrics?: boolean;
}

export interface RunningRegion<C = unknown> {
  readonly name: string;
  readonly mode: 'meridian' | 'baseline';
  readonly url: string;
  readonly app: FastifyInstance;
  readonly health: HealthRegistry;
  readonly settings: RegionSettings;
  /** Absent in links' baseline (src/links/io/start-baseline-region.ts) only. */
  readonly config?: ConfigCache<C>;
  readonly outbox?: Outbox;
  readonly flusher?: OutboxFlusher;
  /**
   * Takes a new world file in place when nothing this region runs by changes (then /status
   * reports the new world hash); otherwise keeps the old one and lists what would need a
   * restart (audit keeps reporting the drift, which is true).
   */
  adoptWorld(next: World): WorldAdoption;
  /** Stops accepting requests, flushes what it can quickly, closes everything. Idempotent. */
  stop(): Promise<void>;
}

/** Builds and starts a region; resolves once it listens (it may still be cold: see /healthz). */
export async function startRegion<C>(options: RegionOptions<C>): Promise<RunningRegion<C>> {
  const { name, workload } = options;
  let world = options.world;
  const region = world.regions.find((r) => r.name === name);
  if (!region) {
    throw new MeridianError(
      'MERIDIAN_REGION_UNKNOWN',
      `no region "${name}" in the world file (regions: ${world.regions.map((r) => r.name).join(', ')})`,
    );
  }
  const clock = options.clock ?? systemClock;
  const homeUrl = new URL(options.homeUrl).origin;
  const registry = new Registry();
  if (options.processMetrics) collectDefaultMetrics({ register: registry });
  const settings = regionSettings(world, name);
  const startedAt = new Date(clock.now());
  const health = new HealthRegistry({ clock, registry });
  const app = workload.createRegionApp({
    region: name,
    maxBodyBytes: settings.maxBodyBytes,
    registry,
    ...(options.httpLimits ? { httpLimits: options.httpLimits } : {}),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  });
  // Closed in reverse order of opening; a failing close is reported, the others still run.
  const closers = new ShutdownStack();

  const configName = settings.configSnapshot;
  const sources: ConfigSource[] = [httpSource({ url: `${homeUrl}/config/${configName}` })];
  const escrow = options.escrow ?? (options.escrowDir ? directoryEscrowStore(options.escrowDir) : undefined);
  if (escrow) sources.push(escrowSource(escrow, { name: configName }));
  const cache = new ConfigCache<C>({
    name: configName,
    publicKey: options.configPublicKey,
    schema: workload.configSchema,
    sources,
    pollIntervalMs: settings.configPollMs,
    coldPollIntervalMs: Math.min(500, settings.configPollMs),
    sourceTimeoutMs: Math.max(100, Math.min(2_000, settings.configPollMs)),
    olderStreakAlertPolls: settings.configOlderAlertPolls,
    // A restart while home and escrow are both unusable comes up on this copy (verified like any snapshot).
    ...(settings.configLastGoodMaxAgeMs > 0
      ? {
          lastGood: {
            store: diskLastGood(join(options.dataDir, `${name}-config-last-good.json`)),
            maxAgeMs: settings.configLastGoodMaxAgeMs,
          },
        }
      : {}),
    clock,
    registry,
  });
  const config = cache;
  const outbox = new Outbox(
    {
      path: join(options.dataDir, `${name}-outbox.db`),
      region: name,
      synchronous: options.outboxSynchronous ?? 'normal',
    },
    { clock, registry },
  );
  outbox.start();
  const box = outbox;
  closers.push('outbox', () => box.stop());
  const flusher = new OutboxFlusher(
    {
      idlePollMs: settings.outboxFlushMs,
      lingerMs: settings.outboxLingerMs,
      backoff: { baseMs: 100, maxMs: 2_000 },
      breaker: { failureThreshold: 5, openMs: 1_000 },
    },
    {
      outbox,
      transport: new HttpIngestTransport({
        url: `${homeUrl}/v1/ingest`,
        region: name,
        key: options.regionKey,
        clock,
        timeoutMs: 5_000,
      }),
      clock,
      registry,
    },
  );
  const parts = workload.registerRegion({
    region: name,
    app,
    config: () => (config.isWarm() ? config.get() : undefined),
    cache,
    events: { enqueue: (type, payload, opts) => box.enqueue(type, payload, opts) },
    sessionKeys: options.sessionKeys,
    limits: { partnerRps: settings.partnerRps, clientSharePercent: settings.clientSharePercent },
    clock,
    registry,
  });
  for (const check of parts.healthChecks) health.register(check);
  const closeWorkload = parts.close;
  if (closeWorkload) closers.push(`workload ${workload.name}`, closeWorkload);
  health.register({
    name: 'config-warm',
    critical: true,
    check: () =>
      config.isWarm()
        ? { ok: true, detail: `version ${config.version()}` }
        : { ok: false, detail: 'no snapshot yet' },
  });
  health.register({
    name: 'config-not-older',
    critical: true,
    check: () =>
      configOlderCheck(config.olderStreak(), config.version(), settings.configOlderUnhealthyMs, clock.now()),
  });
  health.register({
    name: 'outbox-writable',
    critical: true,
    check: () => {
      const s = box.stats();
      const cap = box.settings.maxBacklogBytes;
      return {
        ok: s.backlogBytes < cap * 0.95,
        detail: `${s.backlogEvents} events, ${s.backlogBytes}/${cap} bytes waiting`,
      };
    },
  });
  cache.start();
  closers.push('config cache', () => config.stop());
  flusher.start();
  closers.push('outbox flusher', () => flusher.stop());

  await app.register(healthRoutes, { registry: health });
  app.get('/metrics', async (_request, reply) => {
    reply.type(registry.contentType);
    return registry.metrics();
  });
  app.get('/status', async () => {
    const snapshot = cache.snapshot();
    const older = cache.olderStreak();
    return {
      ...regionStatus(world, name, {
        buildVersion: options.buildVersion,
        config: {
          ...(snapshot
            ? { version: snapshot.version, createdAt: new Date(snapshot.createdAt) }
            : { version: null, createdAt: null }),
          ...(older?.alerting
            ? {
                rejectingOlder: {
                  polls: older.polls,
                  since: new Date(older.sinceMs),
                  source: older.source,
                  offeredVersion: older.offeredVersion,
                },
              }
            : {}),
        },
        startedAt,
      }),
      mode: 'meridian',
      workload: workload.name,
    };
  });

  const listening = await listenRegion({
    app,
    name,
    host: options.host ?? region.address,
    port: options.port ?? region.port,
    closers,
    health,
    buildVersion: options.buildVersion,
    world: () => world,
    setWorld: (next) => {
      world = next;
    },
  });
  return {
    name,
    mode: 'meridian',
    url: listening.url,
    app,
    health,
    settings,
    config: cache,
    outbox,
    flusher,
    adoptWorld: (next) => listening.adoptWorld(next),
    stop: () => listening.stop(),
  };
}
