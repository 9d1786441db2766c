// A Fastify instance configured for the links API: the shared HTTP limits (src/http), body and
// parameter limits, JSON errors and the `x-meridian-region` header on every response. Routes are
// registered by the caller.
import type { FastifyInstance } from 'fastify';
import { Histogram, type Registry } from 'prom-client';
import type { HttpLimitOverrides } from '../../http/index.js';
import { createHttpApp } from '../../http/io/index.js';
import { installJsonErrors, sendError } from '../json-errors.js';
import { MAX_LINK_TOKEN_CHARS } from '../link-token.js';

export interface LinksAppOptions {
  readonly region: string;
  /** Largest accepted request body (default 16 KiB). */
  readonly maxBodyBytes?: number;
  /** A pino logger config or false (default false: the lab's processes log only errors). */
  readonly logger?: boolean | { level: string };
  /** Where `meridian_http_request_duration_seconds` is registered (default: not exported). */
  readonly registry?: Registry;
  /**
   * Overrides of the shared HTTP limits (src/http). A region's own default: the whole request
   * within 10 s (its bodies are at most maxBodyBytes).
   */
  readonly httpLimits?: HttpLimitOverrides;
}

/** A new, not yet listening Fastify app for a region. */
export function createLinksApp(options: LinksAppOptions): FastifyInstance {
  const region = options.region;
  const app = createHttpApp(
    {
      bodyLimit: options.maxBodyBytes ?? 16_384,
      routerOptions: { maxParamLength: MAX_LINK_TOKEN_CHARS },
      // Errors the router raises before any hook runs, in the links contract: JSON error, the
      // region header, and never the path itself (it can be kilobytes of whatever was sent).
      frameworkErrors: (err, _request, reply) => {
        reply.header('x-meridian-region', region);
        if (err.code === 'FST_ERR_MAX_PARAM_LENGTH') {
          // The only parameter is a link token: one over the limit is a link that is not valid.
          sendError(
            reply,
            404,
            'unknown-link',
            `link is not valid (longer than ${MAX_LINK_TOKEN_CHARS} characters)`,
          );
        } else if (err.code === 'FST_ERR_BAD_URL') {
          sendError(reply, 400, 'invalid-url', 'the URL path is not valid percent-encoded UTF-8');
        } else {
          sendError(reply, 400, 'bad-request', 'the request could not be routed');
        }
      },
      logger: options.logger ?? false,
      return503OnClosing: true,
      forceCloseConnections: true,
    },
    {
      limits: { requestTimeoutMs: 10_000, ...options.httpLimits },
      registry: options.registry,
      name: 'region',
    },
  );
  app.addHook('onRequest', (_request, reply, done) => {
    reply.header('x-meridian-region', region);
    done();
  });
  const duration = new Histogram({
    name: 'meridian_http_request_duration_seconds',
    help: 'Time from a request’s arrival to its response being sent, by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1, 1],
    registers: options.registry ? [options.registry] : [],
  });
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    duration.observe(
      { method: request.method, route, status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    done();
  });
  installJsonErrors(app);
  // JSON only: Fastify's default text/plain parser would hand a route a string (415 instead).
  app.removeContentTypeParser('text/plain');
  return app;
}
