import Fastify from 'fastify';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { IngestStore } from '../ingest-store.js';
import { encodeIngestBatch } from '../ingest-wire.js';
import { ingestPlugin } from './ingest-plugin.js';
import { SqliteIngestStore } from './sqlite-ingest-store.js';

const apps: { close(): Promise<unknown> }[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close();
});

async function home(options: { token?: string; store?: IngestStore; maxEvents?: number } = {}) {
  const store = options.store ?? new SqliteIngestStore({ path: ':memory:' });
  await store.start();
  const registry = new Registry();
  const app = Fastify();
  await app.register(ingestPlugin, { ...options, store, registry });
  apps.push({
    close: async () => {
      await app.close();
      await store.stop();
    },
  });
  return { app, store, registry };
}

const body = (keys: string[]) =>
  encodeIngestBatch(
    'eu-west-2',
    keys.map((key) => ({ key, topic: 'clicks', enqueuedAtMs: 1, payloadJson: JSON.stringify({ key }) })),
  );

const post = (
  app: Awaited<ReturnType<typeof home>>['app'],
  payload: string,
  headers: Record<string, string> = {},
) =>
  app.inject({
    method: 'POST',
    url: '/v1/ingest',
    payload,
    headers: { 'content-type': 'application/json', ...headers },
  });

describe('ingestPlugin', () => {
  it('stores a batch once and acknowledges retries as duplicates', async () => {
    const { app, store, registry } = await home();
    const first = await post(app, body(['a', 'b']));
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ stored: 2, duplicates: 0, rejected: [] });
    const retry = await post(app, body(['a', 'b', 'c']));
    expect(retry.json()).toEqual({ stored: 1, duplicates: 2, rejected: [] });
    expect(await store.count()).toBe(3);
    expect((await store.list())[2]).toMatchObject({ key: 'c', region: 'eu-west-2', payload: { key: 'c' } });
    const m = await registry.getSingleMetric('meridian_outbox_ingest_events_total')?.get();
    expect(Object.fromEntries(m!.values.map((v) => [v.labels.result, v.value]))).toMatchObject({
      stored: 3,
      duplicate: 2,
    });
  });

  it('answers 400 with a code for a malformed batch, storing nothing', async () => {
    const { app, store } = await home({ maxEvents: 2 });
    for (const payload of ['{"region":"r"}', body(['a', 'b', 'c']), '[1]']) {
      const res = await post(app, payload);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('MERIDIAN_OUTBOX_BATCH_INVALID');
    }
    expect((await post(app, body(['a']), { 'meridian-ingest-version': '9' })).statusCode).toBe(400);
    expect(await store.count()).toBe(0);
  });

  it('rejects single bad events and stores the rest', async () => {
    const { app, store } = await home();
    const res = await post(
      app,
      JSON.stringify({
        region: 'r',
        events: [
          { key: 'good', topic: 't', enqueuedAtMs: 1, payload: 1 },
          { key: 'bad', topic: 'no spaces', enqueuedAtMs: 1, payload: 1 },
        ],
      }),
    );
    expect(res.json()).toEqual({
      stored: 1,
      duplicates: 0,
      rejected: [{ key: 'bad', reason: expect.stringMatching(/topic/) }],
    });
    expect(await store.count()).toBe(1);
  });

  it('stores payloads with "__proto__" and "constructor" keys as plain data', async () => {
    const { app, store } = await home();
    const payload = '{"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}},"ok":1}';
    const res = await post(
      app,
      `{"region":"r","events":[{"key":"p","topic":"t","enqueuedAtMs":1,"payload":${payload}}]}`,
    );
    expect(res.statusCode).toBe(200);
    const [stored] = await store.list();
    expect(JSON.stringify(stored?.payload)).toBe(payload);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('answers 400 with a code for a body that is not JSON or too large', async () => {
    const { app } = await home();
    const bad = await post(app, '{"region":');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('MERIDIAN_OUTBOX_BATCH_INVALID');
    const small = Fastify();
    const store = new SqliteIngestStore({ path: ':memory:' });
    await store.start();
    await small.register(ingestPlugin, { store, bodyLimitBytes: 1024 });
    apps.push(small);
    const big = await post(small, body(Array.from({ length: 50 }, (_, i) => `k${i}`)));
    expect(big.statusCode).toBe(413);
    expect(big.json().error.code).toBe('MERIDIAN_OUTBOX_BATCH_INVALID');
  });

  it("leaves the host app's own JSON routes alone", async () => {
    const { app } = await home();
    app.post('/other', async (request) => ({ got: request.body }));
    const res = await app.inject({
      method: 'POST',
      url: '/other',
      payload: '{"a":1}',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.json()).toEqual({ got: { a: 1 } });
    const poisoned = await app.inject({
      method: 'POST',
      url: '/other',
      payload: '{"__proto__":{"a":1}}',
      headers: { 'content-type': 'application/json' },
    });
    expect(poisoned.statusCode).toBe(400); // Fastify's own parser still guards the rest of the app
  });

  it('requires the bearer token when one is configured', async () => {
    const token = 'a-shared-secret-of-some-length';
    const { app } = await home({ token });
    expect((await post(app, body(['a']))).statusCode).toBe(401);
    expect((await post(app, body(['a']), { authorization: 'Bearer wrong' })).statusCode).toBe(401);
    expect((await post(app, body(['a']), { authorization: `Bearer ${token}` })).statusCode).toBe(200);
  });

  it('answers 503 when the store fails, so the region retries', async () => {
    const failing: IngestStore = {
      start: async () => {},
      stop: async () => {},
      storeBatch: async () => {
        throw new Error('connection terminated');
      },
      count: async () => 0,
      list: async () => [],
    };
    const { app } = await home({ store: failing });
    const res = await post(app, body(['a']));
    expect(res.statusCode).toBe(503);
    expect(res.json().error).toEqual({
      code: 'MERIDIAN_OUTBOX_INGEST_UNAVAILABLE',
      message: expect.stringMatching(/connection terminated/),
    });
  });
});
