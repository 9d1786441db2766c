// A Fastify instance configured for the links API: body and parameter limits, JSON errors and
// the `x-meridian-region` header on every response. Routes are registered by the caller.
import Fastify, { type FastifyInstance } from 'fastify';
import { installJsonErrors } from './json-errors.js';
import { MAX_LINK_TOKEN_CHARS } from './link-token.js';

export interface LinksAppOptions {
  readonly region: string;
  /** Largest accepted request body (default 16 KiB). */
  readonly maxBodyBytes?: number;
  /** A pino logger config or false (default false: the lab's processes log only errors). */
  readonly logger?: boolean | { level: string };
}

/** A new, not yet listening Fastify app for a region. */
export function createLinksApp(options: LinksAppOptions): FastifyInstance {
  const app = Fastify({
    bodyLimit: options.maxBodyBytes ?? 16_384,
    routerOptions: { maxParamLength: MAX_LINK_TOKEN_CHARS },
    logger: options.logger ?? false,
    return503OnClosing: true,
    forceCloseConnections: true,
    keepAliveTimeout: 5_000,
    requestTimeout: 10_000,
  });
  const region = options.region;
  app.addHook('onRequest', (_request, reply, done) => {
    reply.header('x-meridian-region', region);
    done();
  });
  installJsonErrors(app);
  return app;
}
