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
});
