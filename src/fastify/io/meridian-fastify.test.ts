// Drain on SIGTERM, on a manual clock and a fake signal source: /healthz red at once, /livez
// green, the app closed after the grace period and not before; a second SIGTERM closes at once.
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { generateSigningKeys } from '../../config/index.js';
import { ManualClock } from '../../core/index.js';
import { meridianFastify } from './meridian-fastify.js';

const dir = mkdtempSync(join(tmpdir(), 'meridian-fastify-drain-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function service(name: string) {
  const clock = new ManualClock(Date.now());
  const signals = new EventEmitter();
  const app = Fastify();
  await app.register(meridianFastify, {
    region: 'eu-west-2',
    homeUrl: 'http://127.0.0.1:9',
    config: { name: 'config', publicKey: generateSigningKeys().publicKey, schema: z.unknown() },
    dataDir: join(dir, name),
    regionKey: new Uint8Array(32),
    drainGraceMs: 10_000,
    clock,
    signals,
  });
  let closed = false;
  app.addHook('onClose', async () => {
    closed = true;
  });
  await app.ready();
  return { app, clock, signals, closed: () => closed };
}

describe('meridianFastify drain', () => {
  it('turns /healthz red on SIGTERM and closes the app after the grace period', async () => {
    const { app, clock, signals, closed } = await service('a');
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(503); // cold
    signals.emit('SIGTERM');
    const healthz = await app.inject({ method: 'GET', url: '/healthz' });
    expect(healthz.json().draining).toBe(true);
    expect((await app.inject({ method: 'GET', url: '/livez' })).statusCode).toBe(200);
    clock.advance(9_999);
    expect(closed()).toBe(false);
    clock.advance(1);
    const deadline = Date.now() + 5_000;
    while (!closed() && Date.now() < deadline) await new Promise((r) => setImmediate(r));
    expect(closed()).toBe(true);
    expect(signals.listenerCount('SIGTERM')).toBe(0);
  });

  it('closes at once on a second SIGTERM', async () => {
    const { signals, closed } = await service('b');
    signals.emit('SIGTERM');
    signals.emit('SIGTERM');
    const deadline = Date.now() + 5_000;
    while (!closed() && Date.now() < deadline) await new Promise((r) => setImmediate(r));
    expect(closed()).toBe(true);
  });
});
