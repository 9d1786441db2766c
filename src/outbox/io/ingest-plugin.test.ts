import Fastify from 'fastify';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { deriveSenderKey, ManualClock, signRequest } from '../../core/index.js';
import type { IngestStore } from '../ingest-store.js';
import { encodeIngestBatch } from '../ingest-wire.js';
import { type IngestPluginOptions, ingestPlugin } from './ingest-plugin.js';
import { SqliteIngestStore } from './sqlite-ingest-store.js';

const apps: { close(): Promise<unknown> }[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close();
});

const SECRET = 'home-secret-for-the-ingest-plugin-tests';
const clock = new ManualClock(1_764_345_600_000);

type Settings = Partial<Omit<IngestPluginOptions, 'store' | 'registry' | 'senderKey' | 'clock'>>;

async function home(options: Settings & { store?: IngestStore } = {}) {
  const store = options.store ?? new SqliteIngestStore({ path: ':memory:' });
  await store.start();
  const registry = new Registry();
  const app = Fastify();
  await app.register(ingestPlugin, {
    ...options,
    store,
    registry,
    senderKey: (sender) => deriveSenderKey(SECRET, sender),
    clock,
  });
  apps.push({
    close: async () => {
      await app.close();
      await store.stop();
    },
  });
  return { app, store, registry };
}

const body = (keys: string[], region = 'eu-west-2') =>
  encodeIngestBatch(
    region,
    keys.map((key) => ({ key, topic: 'clicks', enqueuedAtMs: 1, payloadJson: JSON.stringify({ key }) })),
  );

/** The signature headers of `payload` from `sender` (key derived from SECRET unless given). */
const signed = (payload: string, sender = 'region:eu-west-2', key = deriveSenderKey(SECRET, sender)) =>
  signRequest({ key, sender, method: 'POST', path: '/v1/ingest', body: payload, nowMs: clock.now() });

/** POSTs `payload` signed as eu-west-2, unless `headers` is given (then exactly those). */
const post = (
  app: Awaited<ReturnType<typeof home>>['app'],
  payload: string,
  headers: Record<string, string> = signed(payload),
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
    const a = body(['a']);
    expect((await post(app, a, { ...signed(a), 'meridian-ingest-version': '9' })).statusCode).toBe(400);
    expect(await store.count()).toBe(0);
  });

  it('rejects single bad events and stores the rest', async () => {
    const { app, store } = await home();
    const res = await post(
      app,
      JSON.stringify({
        region: 'eu-west-2',
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
      `{"region":"eu-west-2","events":[{"key":"p","topic":"t","enqueuedAtMs":1,"payload":${payload}}]}`,
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
    const small = await home({ bodyLimitBytes: 1024 });
    const big = await post(small.app, body(Array.from({ length: 50 }, (_, i) => `k${i}`)));
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

  it('refuses a batch that carries no region signature, storing nothing', async () => {
    const { app, store } = await home();
    const headers: Record<string, string>[] = [{}, { authorization: 'Bearer 0123456789abcdef0123456789' }];
    for (const h of headers) {
      const res = await post(app, body(['a']), h);
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('MERIDIAN_OUTBOX_INGEST_UNAUTHORIZED');
    }
    expect(await store.count()).toBe(0);
  });

  it('refuses a batch signed by one region for another, and senders that are not regions', async () => {
    const { app, store } = await home();
    const forEu = body(['a'], 'eu-west-2');
    const res = await post(app, forEu, signed(forEu, 'region:af-south-1'));
    expect(res.statusCode).toBe(403);
    expect(res.json().error).toEqual({
      code: 'MERIDIAN_OUTBOX_INGEST_FORBIDDEN',
      message: expect.stringMatching(/region:af-south-1.*eu-west-2/),
    });
    const byPartner = await post(app, forEu, signed(forEu, 'partner:acme'));
    expect(byPartner.statusCode).toBe(401);
    expect(await store.count()).toBe(0);
  });

  it('refuses a stale or replayed-late signature, another key, and an altered body', async () => {
    const { app, store } = await home();
    const a = body(['a']);
    const stale = signed(a);
    clock.advance(5 * 60_000 + 1);
    const late = await post(app, a, stale);
    expect(late.statusCode).toBe(401);
    expect(late.json().error.message).toMatch(/signed 300 s ago/);
    const wrongKey = await post(
      app,
      a,
      signed(a, 'region:eu-west-2', deriveSenderKey('not the secret', 'region:eu-west-2')),
    );
    expect(wrongKey.statusCode).toBe(401);
    const altered = await post(app, body(['b']), signed(a));
    expect(altered.statusCode).toBe(401);
    expect(altered.json().error.message).toMatch(/body does not match/);
    expect(await store.count()).toBe(0);
    expect((await post(app, a)).statusCode).toBe(200);
  });

  it('refuses a forged body over the limit without reading it, and caps each event', async () => {
    const { app, store } = await home({ maxEventBytes: 100 });
    const huge = JSON.stringify({
      region: 'eu-west-2',
      events: [{ key: 'big', topic: 't', enqueuedAtMs: 1, payload: 'x'.repeat(9 * 1024 * 1024) }],
    });
    expect((await post(app, huge, {})).statusCode).toBe(401);
    expect((await post(app, huge)).statusCode).toBe(413); // the default body limit is 8 MiB
    const mixed = JSON.stringify({
      region: 'eu-west-2',
      events: [
        { key: 'small', topic: 't', enqueuedAtMs: 1, payload: 'x'.repeat(50) },
        { key: 'large', topic: 't', enqueuedAtMs: 1, payload: 'x'.repeat(101) },
      ],
    });
    const res = await post(app, mixed);
    expect(res.json()).toEqual({
      stored: 1,
      duplicates: 0,
      rejected: [{ key: 'large', reason: expect.stringMatching(/103 bytes.*100/) }],
    });
    expect(await store.count()).toBe(1);
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
