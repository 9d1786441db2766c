// Serves a ConfigPublisher's latest envelope over HTTP: a Fastify 5 plugin and a standalone server.
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { HttpLimitOverrides } from '../../http/index.js';
import { createHttpApp } from '../../http/io/index.js';
import type { ConfigPublisher } from '../config-publisher.js';

export interface PublisherRoutesOptions {
  /** One publisher per config; each is served at `${prefix}/${publisher.name}`. */
  readonly publishers: readonly ConfigPublisher<unknown>[];
  /** Default `/config`. */
  readonly prefix?: string;
}

/**
 * `GET {prefix}/{name}`: 200 with the envelope and a strong ETag, 304 (no body) when
 * `If-None-Match` names the current ETag, 404 before the first publish.
 */
export const configPublisherRoutes: FastifyPluginAsync<PublisherRoutesOptions> = async (app, options) => {
  const prefix = options.prefix ?? '/config';
  for (const publisher of options.publishers) {
    app.get(`${prefix}/${publisher.name}`, async (request, reply) => {
      const latest = publisher.latest();
      if (!latest) {
        return reply.code(404).send({ error: `nothing published yet for "${publisher.name}"` });
      }
      reply.header('etag', latest.etag).header('cache-control', 'no-cache');
      if (matches(request.headers['if-none-match'], latest.etag)) {
        return reply.code(304).send();
      }
      return reply.type('application/json').send(latest.bytes);
    });
  }
};

/** If-None-Match uses weak comparison (RFC 9110 13.1.2): a proxy may have added `W/`. */
function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header
    .split(',')
    .map((t) => t.trim().replace(/^W\//, ''))
    .some((t) => t === etag || t === '*');
}

/** A running standalone publisher server (tests, the lab). */
export interface PublisherServer {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** URL of one config's route. */
  urlOf(name: string): string;
  readonly app: FastifyInstance;
  close(): Promise<void>;
}

/**
 * Starts a Fastify server with only the publisher routes and the shared HTTP limits (src/http;
 * `httpLimits` overrides them). Port 0 picks a free port.
 */
export async function startPublisherServer(
  options: PublisherRoutesOptions & { host?: string; port?: number; httpLimits?: HttpLimitOverrides },
): Promise<PublisherServer> {
  const app = createHttpApp(
    { logger: false, forceCloseConnections: true },
    { limits: options.httpLimits, name: 'config-publisher' },
  );
  await app.register(configPublisherRoutes, options);
  await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  const host = options.host ?? '127.0.0.1';
  const url = `http://${host}:${port}`;
  const prefix = options.prefix ?? '/config';
  return {
    url,
    urlOf: (name) => `${url}${prefix}/${name}`,
    app,
    close: () => app.close(),
  };
}
