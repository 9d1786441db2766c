// The admin guard on a real listener: Host, Origin and Sec-Fetch-Site checked before anything
// else, JSON required on every change (an empty JSON body is no body), the bearer token compared
// in constant time, and only the routes it is given.
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendRequest } from '../test-support/raw-http-client.js';
import { installAdminGuard } from './admin-guard.js';

const TOKEN = 'guard-test-token-0123456789';
let app: FastifyInstance;
let port: number;
let changes = 0;

beforeAll(async () => {
  app = Fastify();
  installAdminGuard(app, { token: TOKEN, routePrefix: '/v1/admin/' });
  app.post('/v1/admin/drain', async (req) => {
    changes++;
    return { drained: true, body: req.body ?? null };
  });
  app.get('/v1/admin/state', async () => ({ changes }));
  app.post('/v1/public', async () => ({ open: true }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  const a = app.server.address();
  port = typeof a === 'object' && a ? a.port : 0;
});
afterAll(() => app.close());

async function send(method: string, path: string, headers: Record<string, string>, body?: string) {
  const res = await sendRequest(port, method, path, headers, body);
  return { status: res.status, json: res.json() };
}

const auth = { authorization: `Bearer ${TOKEN}` };
const json = { ...auth, 'content-type': 'application/json' };

describe('installAdminGuard', () => {
  it('lets a JSON POST from a local client through, and an empty JSON body counts as none', async () => {
    const withBody = await send('POST', '/v1/admin/drain', json, '{"why":"test"}');
    expect(withBody).toEqual({ status: 200, json: { drained: true, body: { why: 'test' } } });
    const empty = await send('POST', '/v1/admin/drain', { ...json, 'content-length': '0' });
    expect(empty).toEqual({ status: 200, json: { drained: true, body: null } });
  });

  it.each<[string, string, Record<string, string>, string | undefined, number, string]>([
    ['DNS rebinding', 'POST', { ...json, host: 'attacker.example:80' }, '{}', 403, 'host-not-allowed'],
    [
      'a foreign Origin',
      'POST',
      { ...json, origin: 'http://attacker.example' },
      '{}',
      403,
      'origin-not-allowed',
    ],
    [
      'a text/plain POST',
      'POST',
      { ...auth, 'content-type': 'text/plain' },
      '{}',
      415,
      'unsupported-media-type',
    ],
    ['a POST with no content type', 'POST', auth, undefined, 415, 'unsupported-media-type'],
    ['no token', 'POST', { 'content-type': 'application/json' }, '{}', 401, 'unauthorized'],
    [
      'a cross-site GET',
      'GET',
      { ...auth, 'sec-fetch-site': 'cross-site' },
      undefined,
      403,
      'cross-site-request',
    ],
  ])('refuses %s before the route runs', async (_what, method, headers, body, status, code) => {
    const before = changes;
    const path = method === 'GET' ? '/v1/admin/state' : '/v1/admin/drain';
    const res = await send(method, path, headers, body);
    expect(res.status).toBe(status);
    expect(res.json).toEqual({ error: { code, message: expect.any(String) } });
    expect(changes).toBe(before);
  });

  it('guards the route however its path is spelt', async () => {
    const res = await send('POST', '/v1/%61dmin/drain', { 'content-type': 'text/plain' }, 'x');
    expect([401, 403, 404, 415]).toContain(res.status);
    expect(res.status).not.toBe(200);
  });

  it('leaves routes outside its prefix alone', async () => {
    expect((await send('POST', '/v1/public', { 'content-type': 'text/plain' }, 'x')).status).toBe(200);
  });
});
