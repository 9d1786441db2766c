import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpIngestTransport } from './http-ingest-transport.js';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

/** A fake home whose /v1/ingest answers with `status` and `body`, recording request headers. */
async function fakeHome(status: number, body: string, delayMs = 0) {
  const seen: Record<string, unknown>[] = [];
  const app: FastifyInstance = Fastify();
  app.post('/v1/ingest', async (request, reply) => {
    seen.push({ ...request.headers });
    if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
    return reply.code(status).header('content-type', 'application/json').send(body);
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  closers.push(() => app.close());
  return { url: `http://127.0.0.1:${(app.server.address() as { port: number }).port}/v1/ingest`, seen };
}

function transport(url: string, extra: { token?: string; timeoutMs?: number } = {}) {
  const t = new HttpIngestTransport({ url, ...extra });
  closers.unshift(() => t.close());
  return t;
}

describe('HttpIngestTransport', () => {
  it('returns the parsed ack and sends the wire version and token', async () => {
    const home = await fakeHome(200, '{"stored":1,"duplicates":1,"rejected":[]}');
    const t = transport(home.url, { token: 'a-token-long-enough-to-use' });
    expect(await t.send('{"region":"r","events":[]}', 2)).toEqual({
      ok: true,
      ack: { stored: 1, duplicates: 1, rejected: [] },
    });
    expect(home.seen[0]).toMatchObject({
      'meridian-ingest-version': '1',
      authorization: 'Bearer a-token-long-enough-to-use',
      'content-type': 'application/json',
    });
  });

  it.each([
    [503, '{"error":{"code":"MERIDIAN_OUTBOX_INGEST_UNAVAILABLE"}}', 1, 'http-503'],
    [200, 'not json', 1, 'bad-ack'],
    [200, '{"stored":1,"duplicates":0,"rejected":[]}', 2, 'bad-ack'],
  ])('turns status %i body %s for %i events into reason %s', async (status, body, events, reason) => {
    const home = await fakeHome(status, body);
    const r = await transport(home.url).send('{}', events);
    expect(r).toMatchObject({ ok: false, reason });
  });

  it('reports unreachable and timeout as values', async () => {
    const refused = await transport('http://127.0.0.1:1/v1/ingest').send('{}', 1);
    expect(refused).toMatchObject({ ok: false, reason: 'unreachable' });
    const slow = await fakeHome(200, '{"stored":1,"duplicates":0,"rejected":[]}', 2000);
    const timedOut = await transport(slow.url, { timeoutMs: 50 }).send('{}', 1);
    expect(timedOut).toMatchObject({ ok: false, reason: 'timeout' });
  });
});
