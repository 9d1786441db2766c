// Puts the dashboard on an admin Fastify app: the page under /dashboard/ and its event stream
// at GET /v1/events (a snapshot, then a tick each second). The app's admin guard applies to
// both; the page's files carry no state and are the only routes a token is not asked for
// (installAdminGuard's tokenFreeRoutePrefix), so the page can load and then ask for one.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DashboardFeed, type DashboardFeedOptions, type FeedSample } from '../dashboard-feed.js';
import { formatSseEvent } from '../sse-frame.js';
import { type DashboardAsset, loadDashboardAssets } from './dashboard-assets.js';
import { EventHub, type EventHubOptions } from './event-hub.js';

/** The page's routes start with this: GETs there need no token (the page holds no state). */
export const DASHBOARD_ROUTE_PREFIX = '/dashboard';
const DASHBOARD_PREFIX = '/dashboard/';
/** The event stream's path. */
export const DASHBOARD_EVENTS_PATH = '/v1/events';

export interface DashboardMountOptions extends EventHubOptions {
  readonly server: DashboardFeedOptions['server'];
  /**
   * One sample of the world now (called every `tickMs`); `watched` says whether a page is
   * connected, so costly parts (the steering's what-if per network) can wait for one.
   */
  readonly sample: (context: { readonly watched: boolean }) => FeedSample | Promise<FeedSample>;
  /** Default 1000 ms. */
  readonly tickMs?: number;
  /** The built page (default: dist/dashboard/web). */
  readonly assets?: Map<string, DashboardAsset> | null;
}

export interface MountedDashboard {
  readonly feed: DashboardFeed;
  readonly hub: EventHub;
  /** Takes a sample and sends the tick now (the timer does it every `tickMs`). */
  tick(watched?: boolean): Promise<void>;
  /** Stops the timer and ends every stream (also done when the app closes). */
  stop(): void;
}

/** Registers the routes on `app` and starts sampling; stops when the app closes. */
export function mountDashboard(app: FastifyInstance, o: DashboardMountOptions): MountedDashboard {
  const feed = new DashboardFeed({ server: o.server });
  const hub = new EventHub(o);
  const assets = o.assets === undefined ? loadDashboardAssets() : o.assets;
  let timer: NodeJS.Timeout | null = null;
  let ticking: Promise<void> | null = null;
  let stopped = false;

  const tick = async (watched = hub.size > 0): Promise<void> => {
    if (ticking) return ticking;
    ticking = (async () => {
      try {
        const t = feed.observe(await o.sample({ watched }));
        if (!stopped) hub.broadcast(formatSseEvent('tick', t));
      } catch (err) {
        app.log.warn({ err, event: 'meridian:dashboard:sample-failed' }, 'dashboard sample failed');
      }
    })().finally(() => {
      ticking = null;
    });
    return ticking;
  };
  const stop = (): void => {
    stopped = true;
    if (timer) clearInterval(timer);
    timer = null;
    hub.close();
  };

  const sendAsset = (req: FastifyRequest, reply: FastifyReply, path: string) => {
    if (!assets) {
      return reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send(
          'the dashboard is not built: run npm run build (it bundles the page into dist/dashboard/web)\n',
        );
    }
    const a = assets.get(path);
    if (!a) return reply.code(404).send({ error: `no such dashboard file: ${path}` });
    reply.header('content-type', a.contentType);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('cache-control', a.immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    if (path === 'index.html') {
      // Only this origin: scripts, styles, the stream and the admin API; no frame elsewhere.
      reply.header(
        'content-security-policy',
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
      );
      reply.header('referrer-policy', 'no-referrer');
    }
    const accept = String(req.headers['accept-encoding'] ?? '');
    if (a.gzip && /\bgzip\b/.test(accept)) {
      reply.header('content-encoding', 'gzip');
      reply.header('vary', 'accept-encoding');
      return reply.send(a.gzip);
    }
    return reply.send(a.body);
  };

  app.get('/dashboard', (_req, reply) => reply.redirect(DASHBOARD_PREFIX));
  app.get(DASHBOARD_PREFIX, (req, reply) => sendAsset(req, reply, 'index.html'));
  app.get<{ Params: { '*': string } }>(`${DASHBOARD_PREFIX}*`, (req, reply) =>
    sendAsset(req, reply, req.params['*']),
  );
  app.get(DASHBOARD_EVENTS_PATH, async (req, reply) => {
    if (!hub.hasRoom()) {
      reply.header('retry-after', '10');
      return reply.code(503).send({
        code: 'too-many-streams',
        error: `at most ${hub.maxClients} dashboard streams at once; close another page`,
      });
    }
    // the first page of a while gets a full sample at once (what-ifs are left out unwatched)
    if (!feed.snapshot() || hub.size === 0) await tick(true);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
      connection: 'keep-alive',
    });
    const snapshot = feed.snapshot();
    if (!hub.add(res, snapshot ? formatSseEvent('snapshot', snapshot) : ': no sample yet\n\n')) res.end();
    req.raw.socket.setNoDelay(true);
  });
  // Before the server closes: the streams end cleanly instead of being cut.
  app.addHook('preClose', (done) => {
    stop();
    done();
  });

  hub.start();
  timer = setInterval(() => void tick(), o.tickMs ?? 1000);
  timer.unref();
  return { feed, hub, tick, stop };
}
