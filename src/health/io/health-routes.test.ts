import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/index.js';
import { HealthRegistry } from '../health-registry.js';
import { healthRoutes } from './health-routes.js';

const apps: { close(): Promise<unknown> }[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
});

async function setup(paths: { healthzPath?: string; livezPath?: string } = {}) {
  const registry = new HealthRegistry({ clock: new ManualClock() });
  const app = Fastify();
  apps.push(app);
  await app.register(healthRoutes, { registry, ...paths });
  return { app, registry };
}

describe('healthRoutes', () => {
  it('serves /healthz 200 or 503 with a JSON list of checks, and /livez 200 even while draining', async () => {
    const { app, registry } = await setup();
    let warm = false;
    registry.register({ name: 'config-warm', critical: true, check: () => warm });
    let res = await app.inject('/healthz');
    expect(res.statusCode).toBe(503);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.json()).toMatchObject({
      ok: false,
      failing: ['config-warm'],
      checks: [{ name: 'config-warm', ok: false }],
    });
    warm = true;
    res = await app.inject('/healthz');
    expect(res.statusCode).toBe(200);
    registry.drain();
    expect((await app.inject('/healthz')).statusCode).toBe(503);
    res = await app.inject('/livez');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ok: true, draining: true });
  });

  it('answers on a real loopback socket at custom paths', async () => {
    const { app } = await setup({ healthzPath: '/ready', livezPath: '/alive' });
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    expect((await fetch(`${address}/ready`)).status).toBe(200);
    expect((await fetch(`${address}/alive`)).status).toBe(200);
    expect((await fetch(`${address}/healthz`)).status).toBe(404);
  });
});
