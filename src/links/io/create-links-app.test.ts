import { Registry, register } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createLinksApp } from './create-links-app.js';

describe('createLinksApp', () => {
  it('times every request by route template and status, and tags it with the region', async () => {
    const registry = new Registry();
    const app = createLinksApp({ region: 'eu-west-2', registry });
    app.get('/l/:token', (_req, reply) => reply.code(302).header('location', '/x').send());
    await app.ready();
    for (const t of ['a', 'b', 'c']) {
      const res = await app.inject({ method: 'GET', url: `/l/${t}` });
      expect(res.statusCode).toBe(302);
      expect(res.headers['x-meridian-region']).toBe('eu-west-2');
    }
    expect((await app.inject({ method: 'GET', url: '/nowhere' })).statusCode).toBe(404);
    const text = await registry.metrics();
    expect(text).toContain(
      'meridian_http_request_duration_seconds_count{method="GET",route="/l/:token",status="302"} 3',
    );
    expect(text).toMatch(
      /meridian_http_request_duration_seconds_count\{method="GET",route="[^"]*",status="404"\} 1/,
    );
    await app.close();
  });

  it('registers nothing globally without a registry', async () => {
    const app = createLinksApp({ region: 'r' });
    app.get('/', () => 'ok');
    expect((await app.inject({ method: 'GET', url: '/' })).statusCode).toBe(200);
    expect(register.getSingleMetric('meridian_http_request_duration_seconds')).toBeUndefined();
    await app.close();
  });

  it('answers router-level errors and non-JSON bodies in the links contract, without echoing the path', async () => {
    const app = createLinksApp({ region: 'eu-west-2' });
    app.get('/l/:token', (_req, reply) => reply.code(302).header('location', '/x').send());
    app.post('/v1/sessions', async (request) => ({ got: typeof request.body }));
    await app.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    try {
      const cases = [
        { path: `/l/${'a'.repeat(6000)}`, status: 404, code: 'unknown-link' },
        { path: '/l/%E0%A4%A', status: 400, code: 'invalid-url' },
        { path: `/nowhere/${'b'.repeat(6000)}`, status: 404, code: 'not-found' },
      ];
      for (const { path, status, code } of cases) {
        const res = await fetch(`${base}${path}`);
        const text = await res.text();
        expect({
          path: path.slice(0, 12),
          status: res.status,
          region: res.headers.get('x-meridian-region'),
        }).toEqual({
          path: path.slice(0, 12),
          status,
          region: 'eu-west-2',
        });
        expect(Object.keys(JSON.parse(text))).toEqual(['error']);
        expect(JSON.parse(text).error.code).toBe(code);
        expect(text).not.toMatch(
          /aaaaaaaaaa|bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb|%E0%A4%A/,
        );
        expect(text.length).toBeLessThan(300);
      }
      for (const type of ['text/plain', 'text/plain; charset=utf-8', 'application/x-www-form-urlencoded']) {
        const res = await fetch(`${base}/v1/sessions`, {
          method: 'POST',
          headers: { 'content-type': type },
          body: 'partnerId=acme',
        });
        expect({
          type,
          status: res.status,
          code: ((await res.json()) as { error: { code: string } }).error.code,
        }).toEqual({
          type,
          status: 415,
          code: 'unsupported-media-type',
        });
        expect(res.headers.get('x-meridian-region')).toBe('eu-west-2');
      }
      const json = await fetch(`${base}/v1/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect(await json.json()).toEqual({ got: 'object' });
    } finally {
      await app.close();
    }
  });
});
