import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../core/index.js';
import { type BaselineHome, registerBaselineRoutes } from './baseline-routes.js';
import { createLinksApp } from './io/create-links-app.js';
import { PartnerRateLimiter } from './partner-rate-limiter.js';

const acme = {
  id: 'acme',
  name: 'Acme',
  linkTemplate: 'https://links.example.test/l/{token}',
  allowedHosts: ['shop.example'],
  rateLimitRps: 10,
  active: true,
};

/** Home's rows in memory; `links` can hold rows a region would never have written. */
function memoryHome(links: Map<string, string>): BaselineHome {
  const sessions = new Map<string, { partnerId: string; device: string }>();
  return {
    getPartner: async (id) => (id === 'acme' ? acme : undefined),
    async createSession(partnerId, device) {
      const id = `s${sessions.size}`;
      sessions.set(id, { partnerId, device });
      return id;
    },
    getSession: async (id) => sessions.get(id),
    async createLink(_session, _partner, destination) {
      const id = `l${links.size}`;
      links.set(id, destination);
      return id;
    },
    getLinkDestination: async (id) => links.get(id),
  };
}

describe('baseline routes', () => {
  let app: FastifyInstance;
  let links: Map<string, string>;

  beforeEach(async () => {
    links = new Map();
    app = createLinksApp({ region: 'eu-west-2' });
    registerBaselineRoutes(app, {
      region: 'eu-west-2',
      home: memoryHome(links),
      rateLimiter: new PartnerRateLimiter(new ManualClock(), { clientSharePercent: 10 }),
    });
    await app.ready();
  });
  afterEach(() => app.close());

  const session = (remoteAddress: string) =>
    app.inject({
      method: 'POST',
      url: '/v1/sessions',
      remoteAddress,
      payload: { partnerId: 'acme', device: 'ios' },
    });

  it('checks destinations as Meridian mode does, at creation and again before redirecting', async () => {
    const { sessionId } = (await session('198.51.100.1')).json();
    const create = (destination: string) =>
      app.inject({
        method: 'POST',
        url: '/v1/links',
        headers: { authorization: `Session ${sessionId}` },
        payload: { destination },
      });
    expect((await create('javascript:alert(1)')).json().error.code).toBe('invalid-destination');
    expect((await create(`https://shop.example/${'é'.repeat(1500)}`)).json().error.code).toBe(
      'invalid-destination',
    );
    expect((await create('https://shop.example/p/1')).statusCode).toBe(201);
    // A row no region would write (put there before home checked, or by hand) is not followed.
    links.set('planted', 'javascript:alert(document.cookie)');
    const planted = await app.inject({ method: 'GET', url: '/l/planted' });
    expect(planted.statusCode).toBe(404);
    expect(planted.json().error.code).toBe('unknown-link');
    expect((await app.inject({ method: 'GET', url: '/l/l0' })).headers.location).toBe(
      'https://shop.example/p/1',
    );
  });

  it('limits session creation per client as Meridian mode does', async () => {
    expect((await session('203.0.113.9')).statusCode).toBe(201);
    const refused = await session('203.0.113.9');
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.code).toBe('client-rate-limited');
    expect(refused.headers['retry-after']).toBe('1');
    expect((await session('198.51.100.2')).statusCode).toBe(201);
  });
});
