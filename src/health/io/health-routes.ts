// The HTTP face of the registry: /healthz and /livez as a Fastify 5 plugin.
import type { FastifyPluginAsync } from 'fastify';
import type { HealthRegistry } from '../health-registry.js';

export interface HealthRoutesOptions {
  registry: HealthRegistry;
  /** Default `/healthz`: 200 or 503 with the report as JSON. */
  healthzPath?: string;
  /** Default `/livez`: 200 while the process can answer at all (also while draining). */
  livezPath?: string;
}

/**
 * Registers GET (and HEAD) `/healthz` and `/livez`. Bodies are JSON and never cached
 * (`cache-control: no-store`). Register it as an ordinary plugin: `app.register(healthRoutes, {registry})`.
 */
export const healthRoutes: FastifyPluginAsync<HealthRoutesOptions> = async (app, options) => {
  const { registry } = options;
  app.get(options.healthzPath ?? '/healthz', async (_request, reply) => {
    const report = await registry.run();
    reply.code(report.status).header('cache-control', 'no-store');
    return report;
  });
  app.get(options.livezPath ?? '/livez', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    return { ok: true, draining: registry.draining };
  });
};
