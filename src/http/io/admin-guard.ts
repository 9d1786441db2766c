// A Fastify onRequest hook that runs checkAdminRequest before any admin route: Host, Origin,
// Sec-Fetch-Site, the bearer token, and JSON on every change. A change with content-type JSON
// and no body is taken as a change with no body (`curl -X POST -H 'content-type: …json'`).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type AdminRequestPolicy, checkAdminRequest } from '../check-admin-request.js';

export interface AdminGuardOptions extends AdminRequestPolicy {
  /**
   * Guard only the routes whose path pattern starts with this (home: `/v1/admin/`). Default:
   * every request to `app`, unknown paths included.
   */
  readonly routePrefix?: string | undefined;
  /** The JSON body of a refusal (default `{error: {code, message}}`). */
  readonly refusalBody?: ((code: string, message: string) => unknown) | undefined;
  /**
   * GET/HEAD routes under this prefix pass every check but the token (a page's static files,
   * which hold no state: the page then asks the operator for the token). Default: none.
   */
  readonly tokenFreeRoutePrefix?: string | undefined;
}

const header = (request: FastifyRequest, name: string): string | undefined => {
  const v = request.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
};

/** Adds the guard to `app` (call before its routes are used; it applies to all of them). */
export function installAdminGuard(app: FastifyInstance, options: AdminGuardOptions): void {
  const body = options.refusalBody ?? ((code, message) => ({ error: { code, message } }));
  const prefix = options.routePrefix;
  app.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done) => {
    // The matched route's pattern, not the raw URL: a percent-encoded or odd spelling of an
    // admin path that still reaches an admin route is guarded all the same.
    const route = request.routeOptions.url;
    if (prefix !== undefined && !route?.startsWith(prefix)) return done();
    const free = options.tokenFreeRoutePrefix;
    const tokenFree =
      free !== undefined &&
      (request.method === 'GET' || request.method === 'HEAD') &&
      route?.startsWith(free) === true;
    const verdict = checkAdminRequest(
      {
        method: request.method,
        host: header(request, 'host'),
        origin: header(request, 'origin'),
        fetchSite: header(request, 'sec-fetch-site'),
        contentType: header(request, 'content-type'),
        authorization: header(request, 'authorization'),
      },
      tokenFree ? { ...options, token: undefined } : options,
    );
    if (!verdict.ok) {
      if (verdict.status === 401) reply.header('www-authenticate', 'Bearer');
      reply.code(verdict.status).send(body(verdict.code, verdict.message));
      return;
    }
    const length = request.headers['content-length'];
    if (request.headers['transfer-encoding'] === undefined && (length === undefined || length === '0')) {
      // No body: let Fastify skip the JSON parser, which refuses an empty body.
      delete request.headers['content-type'];
    }
    done();
  });
}
