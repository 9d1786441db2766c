// The composition root of home: database + migrations, config publisher (HTTP + escrow), the
// admin guard, ingest (exactly once) folded by the workload's soft-write handlers, and the
// workload's own routes (links: admin API, partner-relay, the baseline's row API) on one
// Fastify server. Home is given no region address and never calls a region (rule 2).
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { ConfigPublisher, type EscrowStore } from '../../config/index.js';
import { configPublisherRoutes, directoryEscrowStore } from '../../config/io/index.js';
import { type Clock, deriveSenderKey, MeridianError, systemClock } from '../../core/index.js';
import { HealthRegistry, ShutdownStack } from '../../health/index.js';
import { healthRoutes } from '../../health/io/index.js';
import { checkAdminExposure, type HttpLimitOverrides, parseAdminToken } from '../../http/index.js';
import { createHttpApp, installAdminGuard } from '../../http/io/index.js';
import type { IngestStore } from '../../outbox/index.js';
import { ingestPlugin, PostgresIngestStore, SqliteIngestStore } from '../../outbox/io/index.js';
import type { SessionKeyRing } from '../../session/index.js';
import type { HomeDatabase, Workload } from '../../workload/index.js';
import { regionStatus, type World, type WorldAdoption, worldAdoption } from '../../world/index.js';
import { ConfigVersionStore } from '../config-version-store.js';
import { migrateHome } from '../home-migrations.js';
import { StatsProjector } from '../stats-projector.js';
import { openPostgresHomeDatabase } from './postgres-home-database.js';
import { openSqliteHomeDatabase } from './sqlite-home-database.js';

export interface HomeOptions<C = unknown> {
  /** What home serves: the workload's tables, config snapshot, admin routes and ingest handlers. */
  readonly workload: Workload<C>;
  /** Listen address (default 127.0.0.1) and port (default 7000; 0 picks one). */
  readonly host?: string;
  readonly port?: number;
  /** PostgreSQL URL; without it home uses SQLite at `<dataDir>/home.db`. */
  readonly databaseUrl?: string;
  /** PostgreSQL schema for every home table (default `meridian`). */
  readonly databaseSchema?: string;
  readonly dataDir: string;
  /** Escrow directory the publisher writes (regions read it when home is away)… */
  readonly escrowDir?: string;
  /** …or any escrow store (S3: `s3EscrowStore`); one of the two is required. */
  readonly escrow?: EscrowStore;
  /** Ed25519 private key, PEM. */
  readonly signingKey: string;
  /**
   * Bearer token of the admin API: 16+ visible ASCII characters (parseAdminToken in src/http);
   * home refuses to start with anything less, before it opens its database.
   */
  readonly adminToken: string;
  /** DNS names besides localhost and IP literals that may appear in an admin request's Host. */
  readonly adminAllowedHosts?: readonly string[];
  /** Overrides of the shared HTTP limits (src/http): deadlines and connection caps. */
  readonly httpLimits?: HttpLimitOverrides;
  /**
   * Home's request secret (at least 32 characters): each region's and partner's signing key is
   * derived from it (`deriveSenderKey`), and ingest, partner-relay and the baseline row API
   * take only signed requests (decision 0015).
   */
  readonly requestSecret: string;
  /** Config snapshot name (default: the world template's `configSnapshot`, else `config`). */
  readonly configName?: string;
  /** For /status (kind home); optional. */
  readonly world?: World;
  readonly buildVersion: string;
  /** The regions' session key ring: lets the workload read full session IDs (revocations). */
  readonly sessionKeys?: SessionKeyRing;
  readonly clock?: Clock;
  readonly logger?: boolean | { level: string };
  /** Export prom-client's default process and Node metrics on /metrics (the `meridian home` program does). */
  readonly processMetrics?: boolean;
}

/** The shortest request secret home accepts. */
export const MIN_REQUEST_SECRET_CHARS = 32;

export interface RunningHome<C = unknown> {
  readonly url: string;
  readonly app: FastifyInstance;
  readonly db: HomeDatabase;
  readonly publisher: ConfigPublisher<C>;
  readonly ingest: IngestStore;
  readonly stats: StatsProjector;
  /**
   * Takes a new world file for /status when nothing home runs by changes; otherwise keeps the
   * old one and lists what would need a restart (always, when it started without a world).
   */
  adoptWorld(next: World): WorldAdoption;
  stop(): Promise<void>;
}

/** Opens the database, migrates, publishes the current config once, and listens. */
export async function startHome<C>(options: HomeOptions<C>): Promise<RunningHome<C>> {
  const { workload } = options;
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 7000;
  // Before anything is opened: no token off loopback, and never a weak one.
  const adminToken =
    checkAdminExposure({ host, token: options.adminToken, what: 'home', source: 'home adminToken' }) ??
    parseAdminToken('', 'home adminToken');
  const clock = options.clock ?? systemClock;
  const secret = options.requestSecret.trim();
  if (secret.length < MIN_REQUEST_SECRET_CHARS) {
    throw new MeridianError(
      'MERIDIAN_HOME_REQUEST_SECRET_INVALID',
      `home's request secret is ${secret.length} characters; use at least ${MIN_REQUEST_SECRET_CHARS} random ones (meridian home creates <data-dir>/request-secret when --request-secret-file is not given)`,
    );
  }
  const senderKey = (sender: string): Buffer => deriveSenderKey(secret, sender);
  const escrow = options.escrow ?? (options.escrowDir ? directoryEscrowStore(options.escrowDir) : undefined);
  if (!escrow) {
    throw new MeridianError(
      'MERIDIAN_HOME_ESCROW_MISSING',
      'home needs an escrow to publish to: give escrowDir or escrow (meridian home --escrow DIR|s3://BUCKET/PREFIX)',
    );
  }
  const registry = new Registry();
  if (options.processMetrics) collectDefaultMetrics({ register: registry });
  // Not listening yet; built first so that a bad HTTP limit stops home before it opens anything.
  const app = createHttpApp(
    {
      logger: options.logger ?? false,
      bodyLimit: 1024 * 1024,
      forceCloseConnections: true,
      return503OnClosing: true,
    },
    { limits: options.httpLimits, registry, name: 'home' },
  );
  const schema = options.databaseSchema ?? 'meridian';
  const sqlitePath = join(options.dataDir, 'home.db');
  const db = options.databaseUrl
    ? openPostgresHomeDatabase({ connectionString: options.databaseUrl, schema })
    : openSqliteHomeDatabase(sqlitePath);
  const ingest: IngestStore = options.databaseUrl
    ? new PostgresIngestStore({ connectionString: options.databaseUrl, schema, clock })
    : new SqliteIngestStore({ path: sqlitePath, clock });
  // Closed in reverse order of opening; a failing close is reported, the others still run.
  const closers = new ShutdownStack();
  try {
    await migrateHome(db, workload.home.migrations);
    closers.push('database', () => db.close());
    await ingest.start();
    closers.push('ingest store', () => ingest.stop());
  } catch (err) {
    await db.close().catch(() => undefined);
    throw new MeridianError(
      'MERIDIAN_HOME_DATABASE',
      `home cannot open its database (${options.databaseUrl ? 'PostgreSQL' : sqlitePath}): ${(err as Error).message}`,
      { cause: err },
    );
  }
  const configName = options.configName ?? options.world?.template.configSnapshot ?? 'config';
  const publisher = new ConfigPublisher<C>({
    name: configName,
    privateKey: options.signingKey,
    escrow,
    // Numbering survives the loss of the escrow pointer: the last version is also in the database.
    versions: new ConfigVersionStore(db),
    schema: workload.configSchema,
    clock,
  });
  await publisher.start();
  let published = await workload.home.buildConfig(db);
  await publisher.publish(published);

  const stats = new StatsProjector(db, ingest, {
    settleMs: options.databaseUrl ? 2_000 : 0,
    now: () => clock.now(),
    // Each soft write's ingest handler; a type the workload does not know is skipped.
    fold: async (tx, event) => {
      await workload.softWrites[event.topic]?.ingest(tx, event.payload);
    },
  });
  const health = new HealthRegistry({ clock, registry });
  health.register({
    name: 'database',
    critical: true,
    timeoutMs: 1_000,
    check: async () => {
      await db.query('SELECT 1 AS ok');
      return true;
    },
  });
  const startedAt = new Date(clock.now());
  workload.home.installErrors(app);
  // Every /v1/admin/ route: Host, Origin, the bearer token and JSON on changes (src/http).
  installAdminGuard(app, {
    token: adminToken,
    allowedHosts: options.adminAllowedHosts,
    routePrefix: '/v1/admin/',
  });
  let queue: Promise<unknown> = Promise.resolve();
  /** Applies a change and publishes the resulting snapshot, one change at a time. */
  const change = <T>(fn: () => Promise<T>): Promise<{ result: T; configVersion: number }> => {
    const next = queue.then(async () => {
      const result = await fn();
      const data = await workload.home.buildConfig(db);
      const { version } = await publisher.publish(data);
      published = data;
      return { result, configVersion: version };
    });
    queue = next.catch(() => undefined);
    return next;
  };
  workload.home.registerRoutes({
    app,
    db,
    clock,
    adminToken,
    adminAllowedHosts: options.adminAllowedHosts,
    senderKey,
    change,
    currentConfig: () => published,
    sessionKeys: options.sessionKeys,
    foldNow: () => stats.catchUp(),
  });
  app.get('/v1/stats', async () => {
    await stats.catchUp();
    return workload.home.stats(db);
  });
  await app.register(configPublisherRoutes, { publishers: [publisher as ConfigPublisher<unknown>] });
  await app.register(ingestPlugin, { store: ingest, registry, senderKey, clock });
  await app.register(healthRoutes, { registry: health });
  app.get('/metrics', async (_request, reply) => {
    reply.type(registry.contentType);
    return registry.metrics();
  });
  let world = options.world;
  app.get('/status', async () =>
    world
      ? regionStatus(world, world.home, {
          kind: 'home',
          buildVersion: options.buildVersion,
          config: { version: publisher.lastVersion(), createdAt: null },
          startedAt,
        })
      : {
          kind: 'home',
          buildVersion: options.buildVersion,
          config: { name: configName, version: publisher.lastVersion() },
          startedAt,
        },
  );

  try {
    await app.listen({ host, port });
  } catch (err) {
    await closers.close();
    throw new MeridianError(
      'MERIDIAN_HOME_LISTEN_FAILED',
      `home cannot listen on ${host}:${port}: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
  closers.push('http server', () => app.close());
  const address = app.server.address();
  const url =
    typeof address === 'object' && address
      ? `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`
      : `http://${host}:${port}`;
  let stopping: Promise<void> | undefined;
  return {
    url,
    app,
    db,
    publisher,
    ingest,
    stats,
    adoptWorld(next) {
      if (!world) return { adopted: false, restartNeeded: ['(started without a world file)'] };
      const adoption = worldAdoption(world, next, world.home, {
        kind: 'home',
        defaultBuild: options.buildVersion,
      });
      if (adoption.adopted) world = next;
      return adoption;
    },
    stop() {
      stopping ??= (async () => {
        health.drain();
        await closers.closeOrThrow('home');
      })();
      return stopping;
    },
  };
}
