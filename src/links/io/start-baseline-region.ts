// The benchmark's baseline for links (bench/links): a region with no config cache and no outbox,
// where every request reads or writes home's database through its row API. It exists to be
// measured against (and to show what home-down does to it); Meridian regions are startRegion.
import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { type Clock, MeridianError, systemClock } from '../../core/index.js';
import { HealthRegistry, ShutdownStack } from '../../health/index.js';
import { healthRoutes } from '../../health/io/index.js';
import type { HttpLimitOverrides } from '../../http/index.js';
import { listenRegion, regionSettings } from '../../region/index.js';
import { regionStatus, type World, type WorldAdoption } from '../../world/index.js';
import { registerBaselineRoutes } from '../baseline-routes.js';
import { PartnerRateLimiter } from '../partner-rate-limiter.js';
import { createLinksApp } from './create-links-app.js';
import { createHttpBaselineHome } from './http-baseline-home.js';

export interface BaselineRegionOptions {
  readonly world: World;
  readonly name: string;
  /** Home's base URL: every request goes there. */
  readonly homeUrl: string;
  readonly host?: string;
  readonly port?: number;
  readonly buildVersion: string;
  readonly httpLimits?: HttpLimitOverrides;
  /** This region's key: it signs the row reads and writes (decision 0015). */
  readonly regionKey: Uint8Array;
  readonly clock?: Clock;
  readonly logger?: boolean | { level: string };
  /** Export prom-client's default process and Node metrics on /metrics. */
  readonly processMetrics?: boolean;
}

export interface RunningBaselineRegion {
  readonly name: string;
  readonly mode: 'baseline';
  readonly url: string;
  readonly app: FastifyInstance;
  readonly health: HealthRegistry;
  /** As RunningRegion.adoptWorld: takes the new world when nothing this region runs by changed. */
  adoptWorld(next: World): WorldAdoption;
  stop(): Promise<void>;
}

/** Builds and starts a baseline region; resolves once it listens. */
export async function startBaselineRegion(options: BaselineRegionOptions): Promise<RunningBaselineRegion> {
  const { name } = options;
  let world = options.world;
  const region = world.regions.find((r) => r.name === name);
  if (!region) {
    throw new MeridianError(
      'MERIDIAN_REGION_UNKNOWN',
      `no region "${name}" in the world file (regions: ${world.regions.map((r) => r.name).join(', ')})`,
    );
  }
  const clock = options.clock ?? systemClock;
  const registry = new Registry();
  if (options.processMetrics) collectDefaultMetrics({ register: registry });
  const settings = regionSettings(world, name);
  const startedAt = new Date(clock.now());
  const health = new HealthRegistry({ clock, registry });
  const app = createLinksApp({
    region: name,
    maxBodyBytes: settings.maxBodyBytes,
    registry,
    ...(options.httpLimits ? { httpLimits: options.httpLimits } : {}),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  });
  const closers = new ShutdownStack();
  const home = createHttpBaselineHome({
    homeUrl: new URL(options.homeUrl).origin,
    region: name,
    key: options.regionKey,
    clock,
  });
  closers.push('baseline home client', () => home.close());
  registerBaselineRoutes(app, {
    region: name,
    home,
    rateLimiter: new PartnerRateLimiter(clock, {
      ...(settings.partnerRps === undefined ? {} : { capRps: settings.partnerRps }),
      clientSharePercent: settings.clientSharePercent,
    }),
  });
  health.register({
    name: 'home-database',
    critical: true,
    timeoutMs: 500,
    check: async () => {
      await home.getPartner('-healthcheck');
      return true;
    },
  });
  await app.register(healthRoutes, { registry: health });
  app.get('/metrics', async (_request, reply) => {
    reply.type(registry.contentType);
    return registry.metrics();
  });
  app.get('/status', async () => ({
    ...regionStatus(world, name, {
      buildVersion: options.buildVersion,
      config: { version: null, createdAt: null },
      startedAt,
    }),
    mode: 'baseline',
    workload: 'links',
  }));
  const listening = await listenRegion({
    app,
    name,
    host: options.host ?? region.address,
    port: options.port ?? region.port,
    closers,
    health,
    buildVersion: options.buildVersion,
    world: () => world,
    setWorld: (next) => {
      world = next;
    },
  });
  return {
    name,
    mode: 'baseline',
    url: listening.url,
    app,
    health,
    adoptWorld: (next) => listening.adoptWorld(next),
    stop: () => listening.stop(),
  };
}
