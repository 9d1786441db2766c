// `meridian/fastify`: the region runtime for a Fastify service you already have, as one plugin.
// It adds a config cache (home, then escrow), the durable outbox and its flusher to home's
// ingest, session verification as a request decorator, /healthz (red until the config is warm,
// and while draining) and /livez, /metrics, and drain on SIGTERM with a grace period. Closing
// the app closes all of it, in reverse order of opening.
import { join } from 'node:path';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { Registry } from 'prom-client';
import { ConfigCache, type ConfigSource, type DataSchema, escrowSource } from '../../config/index.js';
import { directoryEscrowStore, httpSource } from '../../config/io/index.js';
import { type Clock, systemClock } from '../../core/index.js';
import { HealthRegistry, ShutdownStack } from '../../health/index.js';
import { healthRoutes, installSignalDrain, type SignalDrain } from '../../health/io/index.js';
import { HttpIngestTransport, Outbox, OutboxFlusher } from '../../outbox/io/index.js';
import type { SessionFields, SessionRevocations, SessionRow } from '../../session/index.js';

/** What `request.session` holds once verified (from the session module's codec). */
export interface MeridianSession {
  readonly row: SessionRow<SessionFields>;
  readonly sessionId: string;
  readonly issuedAtMs: number;
  readonly expiresAtMs: number;
}

/** The part of a session codec the plugin uses (`createSessionCodec(format, {keys, clock})`). */
export interface SessionVerifier {
  verify(
    id: unknown,
    options?: { revocations?: SessionRevocations },
  ): { ok: true; session: MeridianSession } | { ok: false; reason: string };
}

export interface MeridianFastifyOptions<C> {
  /** This service's region name (events carry it; home checks it against the signing key). */
  readonly region: string;
  /** Home's base URL: config from `<home>/config/<name>`, events to `<home>/v1/ingest`. */
  readonly homeUrl: string;
  readonly config: {
    /** The snapshot's name at home. */
    readonly name: string;
    /** Home's Ed25519 public key, PEM. */
    readonly publicKey: string;
    readonly schema: DataSchema<C>;
    /** Escrow directory read when home does not answer. */
    readonly escrowDir?: string;
    readonly pollIntervalMs?: number;
    /** Where the session revocations are in the snapshot (default: none are checked). */
    readonly revocations?: (config: C) => SessionRevocations | undefined;
  };
  /** Where the outbox database lives (`<dataDir>/<region>-outbox.db`). */
  readonly dataDir: string;
  /** This region's key: it signs every batch to home (home's `region-keys/<region>.key`). */
  readonly regionKey: Uint8Array;
  /** Verifies `Authorization: Session <id>` into `request.session`. */
  readonly sessions?: SessionVerifier;
  /**
   * How long /healthz stays red after SIGTERM before the app closes: at least the GSLB's
   * `fall × intervalMs` plus the DNS TTL, so clients have moved before the listener goes.
   * 0 closes at once. `false`: the plugin installs no signal handler.
   */
  readonly drainGraceMs: number | false;
  readonly outboxFlushMs?: number;
  readonly registry?: Registry;
  readonly clock?: Clock;
  /** Tests pass an EventEmitter instead of `process`. */
  readonly signals?: Parameters<typeof installSignalDrain>[0]['source'];
}

/** What the plugin adds to the app as `app.meridian`. */
export interface MeridianRuntime<C> {
  /** The current snapshot's data, or undefined while cold (then /healthz is red). */
  config(): C | undefined;
  readonly cache: ConfigCache<C>;
  /** Appends an event for home to the durable outbox; resolves once it is on local disk. */
  enqueue(topic: string, payload: unknown, options: { key: string }): Promise<void>;
  readonly outbox: Outbox;
  readonly health: HealthRegistry;
  readonly registry: Registry;
  /** A preHandler that answers 401 unless `request.session` verified. */
  requireSession(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  /** Starts the drain now, as SIGTERM would. */
  drain(): void;
}

declare module 'fastify' {
  interface FastifyInstance {
    meridian: MeridianRuntime<unknown>;
  }
  interface FastifyRequest {
    /** The verified session of `Authorization: Session <id>`, or null (see sessionError). */
    session: MeridianSession | null;
    /** Why `session` is null: `missing`, or the codec's reason (`expired`, `revoked`, …). */
    sessionError: string | null;
  }
}

/** The plugin. Register it on the root app: what it adds is visible to every route. */
export const meridianFastify: FastifyPluginAsync<MeridianFastifyOptions<unknown>> = async (
  app: FastifyInstance,
  options,
) => {
  const clock = options.clock ?? systemClock;
  const registry = options.registry ?? new Registry();
  const home = new URL(options.homeUrl).origin;
  const closers = new ShutdownStack();
  const sources: ConfigSource[] = [httpSource({ url: `${home}/config/${options.config.name}` })];
  if (options.config.escrowDir) {
    sources.push(escrowSource(directoryEscrowStore(options.config.escrowDir), { name: options.config.name }));
  }
  const cache = new ConfigCache<unknown>({
    name: options.config.name,
    publicKey: options.config.publicKey,
    schema: options.config.schema,
    sources,
    ...(options.config.pollIntervalMs ? { pollIntervalMs: options.config.pollIntervalMs } : {}),
    clock,
    registry,
  });
  const outbox = new Outbox(
    { path: join(options.dataDir, `${options.region}-outbox.db`), region: options.region },
    { clock, registry },
  );
  outbox.start();
  closers.push('outbox', () => outbox.stop());
  const flusher = new OutboxFlusher(
    {
      idlePollMs: options.outboxFlushMs ?? 200,
      backoff: { baseMs: 100, maxMs: 2_000 },
      breaker: { failureThreshold: 5, openMs: 1_000 },
    },
    {
      outbox,
      transport: new HttpIngestTransport({
        url: `${home}/v1/ingest`,
        region: options.region,
        key: options.regionKey,
        clock,
        timeoutMs: 5_000,
      }),
      clock,
      registry,
    },
  );
  const health = new HealthRegistry({ clock, registry });
  health.register({
    name: 'config-warm',
    critical: true,
    check: () =>
      cache.isWarm()
        ? { ok: true, detail: `version ${cache.version()}` }
        : { ok: false, detail: 'no snapshot yet' },
  });
  health.register({
    name: 'outbox-writable',
    critical: true,
    check: () => {
      const s = outbox.stats();
      const cap = outbox.settings.maxBacklogBytes;
      return { ok: s.backlogBytes < cap * 0.95, detail: `${s.backlogEvents} events waiting` };
    },
  });
  cache.start();
  closers.push('config cache', () => cache.stop());
  flusher.start();
  closers.push('outbox flusher', () => flusher.stop());

  const current = () => (cache.isWarm() ? cache.get() : undefined);
  const revocationsOf = options.config.revocations;
  app.decorateRequest('session', null);
  app.decorateRequest('sessionError', null);
  const sessions = options.sessions;
  if (sessions) {
    app.addHook('onRequest', async (request) => {
      const header = request.headers.authorization;
      const m = typeof header === 'string' ? /^Session (\S{1,1024})$/.exec(header) : null;
      if (!m) {
        request.sessionError = 'missing';
        return;
      }
      const config = current();
      const revocations = config !== undefined && revocationsOf ? revocationsOf(config) : undefined;
      const result = sessions.verify(m[1], revocations ? { revocations } : {});
      if (result.ok) request.session = result.session;
      else request.sessionError = result.reason;
    });
  }
  let drain: SignalDrain | undefined;
  const runtime: MeridianRuntime<unknown> = {
    config: current,
    cache,
    async enqueue(topic, payload, o) {
      await outbox.enqueue(topic, payload, o);
    },
    outbox,
    health,
    registry,
    async requireSession(request, reply) {
      if (!request.session) {
        await reply.code(401).send({
          error: { code: 'invalid-session', message: `session ${request.sessionError ?? 'missing'}` },
        });
      }
    },
    drain: () => (drain ? drain.trigger() : health.drain()),
  };
  app.decorate('meridian', runtime);
  await app.register(healthRoutes, { registry: health });
  app.get('/metrics', async (_request, reply) => {
    reply.type(registry.contentType);
    return registry.metrics();
  });
  if (options.drainGraceMs !== false) {
    drain = installSignalDrain({
      registry: health,
      graceMs: options.drainGraceMs,
      stop: () => app.close(),
      clock,
      ...(options.signals ? { source: options.signals } : {}),
    });
    const installed = drain;
    closers.push('signal handlers', () => installed.uninstall());
  }
  app.addHook('onClose', async () => {
    health.drain();
    await closers.closeOrThrow('meridian/fastify');
  });
};
// Like fastify-plugin: the decorations and routes belong to the app it is registered on.
(meridianFastify as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;
