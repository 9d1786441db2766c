// The admin HTTP API (Fastify): state, drain/undrain, rollout overrides, explain, metrics, reload.
// Every request passes the shared admin guard (Host, Origin, JSON on changes, the token).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { isMeridianError } from '../core/index.js';
import { DASHBOARD_ROUTE_PREFIX, mountDashboard } from '../dashboard/io/index.js';
import type { HttpLimitOverrides } from '../http/index.js';
import { createHttpApp, installAdminGuard } from '../http/io/index.js';
import type { Gslb } from './gslb.js';
import { gslbDashboardSample } from './gslb-dashboard-sample.js';

export interface AdminApi {
  readonly app: FastifyInstance;
  readonly port: number;
  close(): Promise<void>;
}

const recordFields = {
  reason: z.string().trim().min(1).max(1000).optional(),
  who: z.string().trim().min(1).max(200).optional(),
};
const rolloutBody = z.union([
  z.strictObject({
    region: z.string(),
    percent: z.number().min(0).max(100),
    sticky: z.boolean().default(true),
    ...recordFields,
  }),
  z.strictObject({ rollout: z.null(), ...recordFields }),
]);

const undrainBody = z.strictObject(recordFields);
const drainBody = undrainBody.extend({ force: z.boolean().optional() });

function badDrainBody(error: z.ZodError): Record<string, unknown> {
  return {
    error: 'body must be {"reason"?: TEXT, "who"?: TEXT, "force"?: true|false} (force needs a reason)',
    issues: error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`),
  };
}

const isOn = (v: string | undefined): boolean => v !== undefined && v !== '0' && v !== 'false';

/** The stable code a refused drain answers with. */
const DRAIN_CODES: Record<string, string> = {
  'serving-floor': 'MERIDIAN_GSLB_DRAIN_BELOW_FLOOR',
  'undrained-floor': 'MERIDIAN_GSLB_DRAIN_BELOW_FLOOR',
  'force-without-reason': 'MERIDIAN_GSLB_DRAIN_FORCE_NEEDS_REASON',
  'unknown-region': 'MERIDIAN_MONITOR_UNKNOWN_REGION',
};

const STATUS: Record<string, number> = {
  MERIDIAN_MONITOR_UNKNOWN_REGION: 404,
  MERIDIAN_GSLB_UNKNOWN_HOSTNAME: 404,
  MERIDIAN_GSLB_BAD_ROLLOUT: 400,
  MERIDIAN_GSLB_BAD_CLIENT: 400,
  MERIDIAN_OPERATOR_STATE_UNAVAILABLE: 503,
};

export interface AdminApiOptions {
  readonly host: string;
  readonly port: number;
  /** The bearer token every request must send (checked by the caller: see Gslb). */
  readonly token?: string | undefined;
  /** DNS names besides localhost and IP literals that may appear in Host. */
  readonly allowedHosts?: readonly string[] | undefined;
  /** Overrides of the shared HTTP limits (src/http). */
  readonly httpLimits?: HttpLimitOverrides | undefined;
}

/** Builds the API on `gslb` and listens on host:port. */
export async function buildAdminApi(gslb: Gslb, opts: AdminApiOptions): Promise<AdminApi> {
  const app = createHttpApp(
    { logger: false, forceCloseConnections: true },
    { limits: opts.httpLimits, registry: gslb.registry, name: 'gslb-admin' },
  );
  installAdminGuard(app, {
    token: opts.token,
    allowedHosts: opts.allowedHosts,
    refusalBody: (code, message) => ({ code, error: message }),
    tokenFreeRoutePrefix: DASHBOARD_ROUTE_PREFIX, // the page's files; its stream needs the token
  });
  app.setErrorHandler((err, _req, reply) => {
    if (isMeridianError(err))
      return reply.code(STATUS[err.code] ?? 500).send({ code: err.code, error: err.message });
    const status = (err as { statusCode?: number }).statusCode ?? 500;
    return reply.code(status).send({ error: (err as Error).message });
  });

  app.get('/v1/state', async () => gslb.state());
  app.post<{ Params: { name: string }; Querystring: Record<string, string | undefined> }>(
    '/v1/regions/:name/drain',
    async (req, reply) => {
      const parsed = drainBody.safeParse(req.body ?? {});
      if (!parsed.success) return reply.code(400).send(badDrainBody(parsed.error));
      const region = req.params.name;
      const ask = { ...parsed.data, who: parsed.data.who ?? `admin API (${req.ip})` };
      // ?dryRun=1 is the old name of ?preview=1: neither changes anything
      if (isOn(req.query.preview) || isOn(req.query.dryRun)) {
        const preview = gslb.drains.preview(region, ask);
        return reply.code(preview.floor.rule === 'unknown-region' ? 404 : 200).send(preview);
      }
      const verdict = await gslb.requestDrain(region, ask);
      if (!verdict.ok) {
        const status =
          verdict.rule === 'unknown-region' ? 404 : verdict.rule === 'force-without-reason' ? 400 : 409;
        return reply
          .code(status)
          .send({ code: DRAIN_CODES[verdict.rule], error: verdict.reason, floor: verdict });
      }
      return {
        region,
        drained: true,
        forced: verdict.forced,
        floor: verdict,
        healthVersion: gslb.monitor.table().version,
      };
    },
  );
  app.post<{ Params: { name: string } }>('/v1/regions/:name/undrain', async (req, reply) => {
    const parsed = undrainBody.safeParse(req.body ?? {});
    if (!parsed.success) return reply.code(400).send(badDrainBody(parsed.error));
    await gslb.requestUndrain(req.params.name, {
      ...parsed.data,
      who: parsed.data.who ?? `admin API (${req.ip})`,
    });
    return { region: req.params.name, drained: false, healthVersion: gslb.monitor.table().version };
  });
  app.put<{ Params: { name: string } }>('/v1/hostnames/:name/rollout', async (req, reply) => {
    const parsed = rolloutBody.safeParse(req.body ?? {});
    if (!parsed.success) {
      return reply.code(400).send({
        error:
          'body must be {"region": NAME, "percent": 0-100 (steps of 0.01), "sticky": true|false} or {"rollout": null}',
        issues: parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`),
      });
    }
    const body = parsed.data;
    const rollout =
      'region' in body
        ? { region: body.region, basisPoints: Math.round(body.percent * 100), sticky: body.sticky }
        : null;
    await gslb.requestRollout(req.params.name, rollout, {
      who: body.who ?? `admin API (${req.ip})`,
      ...(body.reason ? { reason: body.reason } : {}),
    });
    return {
      hostname: req.params.name,
      rollout: rollout ? { ...rollout, percent: rollout.basisPoints / 100 } : null,
    };
  });
  app.get<{ Querystring: { name?: string; client?: string } }>('/v1/explain', async (req, reply) => {
    const { name, client } = req.query;
    if (!name || !client)
      return reply.code(400).send({ error: 'give ?name=HOSTNAME&client=IP[/prefix] or a network name' });
    return gslb.explain(name, client);
  });
  app.get<{ Querystring: { name?: string; client?: string } }>('/v1/decisions', async (req, reply) => {
    const { name, client } = req.query;
    if (!name || !client)
      return reply.code(400).send({ error: 'give ?name=HOSTNAME&client=IP[/prefix] or a network name' });
    const answer = gslb.decisions(name, client);
    if (!answer)
      return reply.code(404).send({
        code: 'MERIDIAN_GSLB_DECISION_LOG_OFF',
        error: 'the decision log is off (meridian dns --no-decision-log)',
      });
    return answer;
  });
  app.post('/v1/reload', async (_req, reply) => {
    const r = await gslb.reload('admin API');
    return reply.code(r.ok ? 200 : 422).send(r);
  });
  app.get('/metrics', async (_req, reply) => {
    reply.header('content-type', gslb.registry.contentType);
    return gslb.registry.metrics();
  });

  // Read-only here: drain buttons appear once the operator gives the token in the page.
  mountDashboard(app, {
    server: { mode: 'dns', controls: 'token' },
    sample: ({ watched }) => gslbDashboardSample(gslb, Date.now(), watched),
  });

  await app.listen({ host: opts.host, port: opts.port });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return { app, port, close: () => app.close() };
}
