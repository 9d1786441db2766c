// The region and home wired over real HTTP on loopback: flush, home away, home back.
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { deriveSenderKey } from '../../core/index.js';
import { useTempDirs } from '../test-support/temp-dir.js';
import { HttpIngestTransport } from './http-ingest-transport.js';
import { ingestPlugin } from './ingest-plugin.js';
import { Outbox } from './outbox.js';
import { OutboxFlusher } from './outbox-flusher.js';
import { SqliteIngestStore } from './sqlite-ingest-store.js';

const tempDir = useTempDirs();
const SECRET = 'home-secret-for-the-http-flush-test';
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function startHome(store: SqliteIngestStore, port = 0): Promise<FastifyInstance> {
  const app = Fastify();
  await app.register(ingestPlugin, { store, senderKey: (sender) => deriveSenderKey(SECRET, sender) });
  await app.listen({ host: '127.0.0.1', port });
  return app;
}

describe('flushing over HTTP', () => {
  it('drains to home, survives home going away, and never stores an event twice', async () => {
    const store = new SqliteIngestStore({ path: join(tempDir(), 'home.db') });
    await store.start();
    cleanups.push(() => store.stop());
    let app = await startHome(store);
    const port = (app.server.address() as { port: number }).port;

    const outbox = new Outbox({ path: join(tempDir(), 'region.db'), region: 'eu-west-2' });
    outbox.start();
    const transport = new HttpIngestTransport({
      url: `http://127.0.0.1:${port}/v1/ingest`,
      region: 'eu-west-2',
      key: deriveSenderKey(SECRET, 'region:eu-west-2'),
      timeoutMs: 2000,
    });
    const flusher = new OutboxFlusher(
      {
        maxBatchEvents: 50,
        idlePollMs: 20,
        backoff: { baseMs: 5, maxMs: 50 },
        breaker: { failureThreshold: 2, openMs: 50 },
      },
      { outbox, transport },
    );
    const failures: string[] = [];
    flusher.on('meridian:outbox:flush-failed', (e: { reason: string }) => failures.push(e.reason));
    flusher.start();
    cleanups.push(async () => {
      await flusher.stop();
      await transport.close();
      await outbox.stop();
    });

    await Promise.all(
      Array.from({ length: 200 }, (_, i) => outbox.enqueue('clicks', { i }, { key: `a${i}` })),
    );
    await vi.waitFor(() => expect(outbox.stats().backlogEvents).toBe(0), { timeout: 10_000, interval: 10 });

    await app.close(); // home goes away
    await Promise.all(
      Array.from({ length: 100 }, (_, i) => outbox.enqueue('clicks', { i }, { key: `b${i}` })),
    );
    await vi.waitFor(() => expect(flusher.breakerState()).not.toBe('closed'), {
      timeout: 10_000,
      interval: 10,
    });
    expect(failures).toContain('unreachable');
    expect(outbox.stats().backlogEvents).toBe(100);

    app = await startHome(store, port); // home is back on the same address
    cleanups.push(() => app.close());
    await vi.waitFor(() => expect(outbox.stats().backlogEvents).toBe(0), { timeout: 10_000, interval: 10 });
    expect(flusher.breakerState()).toBe('closed');
    expect(await store.count()).toBe(300);
    expect(await store.count({ region: 'eu-west-2', topic: 'clicks' })).toBe(300);
    const keys = (await store.list({ limit: 1000 })).map((e) => e.key);
    expect(new Set(keys).size).toBe(300);
  });
});
