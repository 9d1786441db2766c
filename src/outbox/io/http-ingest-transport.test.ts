import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { checkSignedHeaders, deriveSenderKey, sha256Hex } from '../../core/index.js';
import { HttpIngestTransport } from './http-ingest-transport.js';

const key = deriveSenderKey('home-secret-for-the-transport-tests', 'region:eu-west-2');

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

function transport(url: string, extra: { timeoutMs?: number } = {}) {
  const t = new HttpIngestTransport({ url, region: 'eu-west-2', key, ...extra });
  closers.unshift(() => t.close());
  return t;
}

describe('HttpIngestTransport', () => {
  it('returns the parsed ack and sends the wire version, signed as its region', async () => {
    const home = await fakeHome(200, '{"stored":1,"duplicates":1,"rejected":[]}');
    const t = transport(home.url);
    const body = '{"region":"eu-west-2","events":[]}';
    expect(await t.send(body, 2)).toEqual({
      ok: true,
      ack: { stored: 1, duplicates: 1, rejected: [] },
    });
    expect(home.seen[0]).toMatchObject({
      'meridian-ingest-version': '1',
      'content-type': 'application/json',
      'meridian-sender': 'region:eu-west-2',
    });
    const check = checkSignedHeaders({
      headers: home.seen[0] as Record<string, string>,
      method: 'POST',
      path: '/v1/ingest',
      nowMs: Date.now(),
      keyFor: (sender) => (sender === 'region:eu-west-2' ? key : undefined),
    });
    expect(check).toEqual({ ok: true, sender: 'region:eu-west-2', contentSha256: sha256Hex(body) });
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
