// The dashboard on its own listener (what `meridian up` runs): the page and its stream, and the
// admin calls the page makes (drain, undrain with ?preview=1, explain, decisions) passed to the
// GSLB's admin API with the page's Authorization header. Behind the same admin guard: only a
// page of this origin can call it (Host, Origin, Sec-Fetch-Site, JSON).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHttpApp, installAdminGuard } from '../../http/io/index.js';
import { DASHBOARD_ROUTE_PREFIX, type DashboardMountOptions, mountDashboard } from './mount-dashboard.js';

export interface DashboardServerOptions extends DashboardMountOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** The GSLB admin API the page's calls go to (`http://127.0.0.1:8054`), or undefined while it is not up. */
  readonly upstream: () => string | undefined;
}

export interface DashboardServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const PASSED = [
  { method: 'POST', url: '/v1/regions/:name/drain' },
  { method: 'POST', url: '/v1/regions/:name/undrain' },
  { method: 'GET', url: '/v1/explain' },
  { method: 'GET', url: '/v1/decisions' },
] as const;

/** Listens on host:port and serves the dashboard; `close()` ends the streams and the listener. */
export async function startDashboardServer(o: DashboardServerOptions): Promise<DashboardServer> {
  const app = createHttpApp({ logger: false, forceCloseConnections: true }, { name: 'dashboard' });
  installAdminGuard(app, {
    refusalBody: (code, message) => ({ code, error: message }),
    tokenFreeRoutePrefix: DASHBOARD_ROUTE_PREFIX,
  });
  mountDashboard(app, o);
  const pass = async (req: FastifyRequest, reply: FastifyReply) => {
    const base = o.upstream();
    if (!base)
      return reply.code(503).send({ code: 'upstream-down', error: 'the GSLB admin API is not up yet' });
    const auth = req.headers.authorization;
    const res = await fetch(`${base}${req.url}`, {
      method: req.method,
      headers: {
        ...(req.method === 'POST' ? { 'content-type': 'application/json' } : {}),
        ...(auth ? { authorization: auth } : {}),
      },
      ...(req.method === 'POST' ? { body: JSON.stringify(req.body ?? {}) } : {}),
      signal: AbortSignal.timeout(10_000),
    }).catch((err: Error) => err);
    if (res instanceof Error) {
      return reply.code(502).send({ code: 'upstream-failed', error: `the GSLB admin API: ${res.message}` });
    }
    reply.code(res.status).header('content-type', res.headers.get('content-type') ?? 'application/json');
    return reply.send(Buffer.from(await res.arrayBuffer()));
  };
  for (const r of PASSED) app.route({ method: r.method, url: r.url, handler: pass });
  await app.listen({ host: o.host, port: o.port });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return { url: `http://${o.host}:${port}${DASHBOARD_ROUTE_PREFIX}/`, port, close: () => app.close() };
}
