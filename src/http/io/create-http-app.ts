// The one way Meridian builds an HTTP listener: a Fastify instance with the shared deadlines
// (headers, request, keep-alive, idle, checked every second) and connection caps (per client and
// in all, below the open-file limit). Home, the regions, the GSLB admin API, the standalone
// config publisher and the lab's control endpoint all start here.
import type { Server } from 'node:http';
import Fastify, { type FastifyHttpOptions, type FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { type HttpLimitOverrides, type HttpLimits, resolveHttpLimits } from '../http-limits.js';
import { limitConnections } from './limit-connections.js';
import { readOpenFileLimit } from './read-open-file-limit.js';

export interface HttpAppOptions {
  /** Overrides of DEFAULT_HTTP_LIMITS (see the http module's README). */
  readonly limits?: HttpLimitOverrides | undefined;
  /** Where the connection metrics go (default: not exported). */
  readonly registry?: Registry | undefined;
  /** The `server` label of the metrics: `home`, `region`, `gslb-admin`, … (default `http`). */
  readonly name?: string | undefined;
}

/** Fastify options the limits decide; a caller's own values for these are replaced. */
export function fastifyLimitOptions(limits: HttpLimits): FastifyHttpOptions<Server> {
  return {
    connectionTimeout: limits.idleTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    maxRequestsPerSocket: limits.maxRequestsPerSocket,
    http: {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      connectionsCheckingInterval: limits.timeoutCheckIntervalMs,
    },
  };
}

/**
 * A new, not yet listening Fastify instance with `fastifyOptions` and the shared limits. Throws
 * `MERIDIAN_HTTP_BAD_LIMIT` for a limit that is not a whole number ≥ 0.
 */
export function createHttpApp(
  fastifyOptions: FastifyHttpOptions<Server> = {},
  options: HttpAppOptions = {},
): FastifyInstance {
  const limits = resolveHttpLimits(options.limits ?? {}, { openFileLimit: readOpenFileLimit() });
  const app = Fastify({ ...fastifyOptions, ...fastifyLimitOptions(limits) }) as unknown as FastifyInstance;
  limitConnections(app.server, limits, { registry: options.registry, name: options.name ?? 'http' });
  return app;
}
