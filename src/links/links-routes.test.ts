import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../core/index.js';
import { createLinksApp } from './io/create-links-app.js';
import { createLinkTokenCodec, MAX_LINK_TOKEN_CHARS } from './link-token.js';
import { type LinksConfig, linksConfigSchema } from './links-config.js';
import { type LinksSessions, registerLinksRoutes } from './links-routes.js';
import { PartnerRateLimiter } from './partner-rate-limiter.js';

const config: LinksConfig = linksConfigSchema.parse({
  partners: [
    {
      id: 'acme',
      name: 'Acme',
      linkTemplate: 'https://{partnerId}.links.example.test/l/{token}',
      allowedHosts: ['shop.example', '*.acme.example'],
      rateLimitRps: 5,
      active: true,
    },
    {
      id: 'gone',
      name: 'Gone',
      linkTemplate: 'https://links.example.test/l/{token}',
      allowedHosts: ['gone.example'],
      rateLimitRps: 5,
      active: false,
    },
  ],
});

/** A stand-in for the session module: IDs are opaque counters remembered in a map. */
function fakeSessions(revoked: Set<string>): LinksSessions {
  const rows = new Map<
    string,
    { sessionId: string; partnerId: string; device: string; issuedAtMs: number }
  >();
  return {
    issue(row) {
      const id = `sess${rows.size + 1}`;
      rows.set(id, { ...row, sessionId: `id-${id}`, issuedAtMs: 0 });
      return { token: id, sessionId: `id-${id}` };
    },
    verify(id) {
      const row = rows.get(id);
      if (!row) return { ok: false, reason: 'malformed' };
      if (revoked.has(id)) return { ok: false, reason: 'revoked' };
      return { ok: true, session: row };
    },
  };
}

describe('links routes', () => {
  let app: FastifyInstance;
  let clock: ManualClock;
  let current: LinksConfig | undefined;
  let events: { topic: string; payload: Record<string, unknown>; key: string }[];
  let outboxBroken: boolean;
  /** What enqueue returns: the outbox's group commit. */
  let commit: Promise<unknown>;
  const revoked = new Set<string>();

  beforeEach(async () => {
    clock = new ManualClock();
    current = config;
    events = [];
    outboxBroken = false;
    commit = Promise.resolve('key');
    revoked.clear();
    app = createLinksApp({ region: 'eu-west-2', maxBodyBytes: 4096 });
    registerLinksRoutes(app, {
      region: 'eu-west-2',
      config: () => current,
      sessions: fakeSessions(revoked),
      events: {
        enqueue(topic, payload, { key }) {
          if (outboxBroken) return Promise.reject(new Error('disk full'));
          events.push({ topic, payload, key });
          return commit;
        },
      },
      linkTokens: createLinkTokenCodec([{ id: 1, secret: Buffer.alloc(32, 7) }]),
      // Every injected request comes from 127.0.0.1: let that one client use the partner's whole rate.
      rateLimiter: new PartnerRateLimiter(clock, { clientSharePercent: 100 }),
      clock,
      registry: new Registry(),
    });
    await app.ready();
  });
  afterEach(() => app.close());

  const startSession = (body: unknown) =>
    app.inject({ method: 'POST', url: '/v1/sessions', payload: body as Record<string, unknown> });
  const createLink = (sessionId: string, destination: unknown) =>
    app.inject({
      method: 'POST',
      url: '/v1/links',
      headers: { authorization: `Session ${sessionId}` },
      payload: { destination } as Record<string, unknown>,
    });

  it('issues a session, creates a link and redirects through it', async () => {
    const s = await startSession({ partnerId: 'acme', device: 'ios' });
    expect(s.statusCode).toBe(201);
    expect(s.headers['x-meridian-region']).toBe('eu-west-2');
    const { sessionId, region } = s.json();
    expect(region).toBe('eu-west-2');
    const l = await createLink(sessionId, 'https://shop.example/cart?id=1');
    expect(l.statusCode).toBe(201);
    const { link } = l.json();
    const url = new URL(link);
    expect(url.host).toBe('acme.links.example.test');
    expect(url.pathname).toMatch(/^\/l\/[A-Za-z0-9_-]+$/);
    const r = await app.inject({ method: 'GET', url: `/l/${url.pathname.split('/l/')[1]}` });
    expect(r.statusCode).toBe(302);
    expect(r.headers.location).toBe('https://shop.example/cart?id=1');
    expect(r.headers['x-meridian-region']).toBe('eu-west-2');
    expect(events.map((e) => e.topic)).toEqual(['session-started', 'link-created']);
    expect(events[0]!.payload).toMatchObject({ partnerId: 'acme', device: 'ios', region: 'eu-west-2' });
    expect(events[1]!.payload).toMatchObject({
      partnerId: 'acme',
      host: 'shop.example',
      session: events[0]!.payload.session,
    });
    expect(new Set(events.map((e) => e.key)).size).toBe(2);
  });

  it.each([
    [{ partnerId: 'nobody', device: 'ios' }, 404, 'unknown-partner'],
    [{ partnerId: 'gone', device: 'ios' }, 404, 'unknown-partner'],
    [{ partnerId: 'ACME', device: 'ios' }, 400, 'invalid-partner-id'],
    [{ partnerId: 'acme', device: '' }, 400, 'invalid-device'],
    [{ partnerId: 'acme', device: 'x'.repeat(65) }, 400, 'invalid-device'],
    [{ partnerId: 'acme' }, 400, 'invalid-device'],
    [[1, 2], 400, 'invalid-body'],
  ])('refuses session body %j with %i %s', async (body, status, code) => {
    const res = await startSession(body);
    expect(res.statusCode).toBe(status);
    expect(res.json()).toEqual({ error: { code, message: expect.any(String) } });
    expect(res.headers['x-meridian-region']).toBe('eu-west-2');
  });

  it.each([
    ['https://evil.example/', 422, 'destination-not-allowed'],
    ['https://acme.example/', 422, 'destination-not-allowed'],
    ['https://deals.acme.example/x', 201, undefined],
    ['javascript:alert(1)', 422, 'invalid-destination'],
    ['ftp://shop.example/x', 422, 'invalid-destination'],
    ['https://user:pw@shop.example/', 422, 'invalid-destination'],
    ['/relative', 422, 'invalid-destination'],
    [`https://shop.example/${'a'.repeat(2100)}`, 422, 'invalid-destination'],
    [42, 400, 'invalid-body'],
  ])('link to %s answers %i', async (destination, status, code) => {
    const { sessionId } = (await startSession({ partnerId: 'acme', device: 'web' })).json();
    const res = await createLink(sessionId, destination);
    expect(res.statusCode).toBe(status);
    if (code) expect(res.json().error.code).toBe(code);
  });

  it('answers 401 for missing, malformed and revoked sessions', async () => {
    const none = await app.inject({
      method: 'POST',
      url: '/v1/links',
      payload: { destination: 'https://shop.example/' },
    });
    expect(none.statusCode).toBe(401);
    expect((await createLink('garbage', 'https://shop.example/')).statusCode).toBe(401);
    const { sessionId } = (await startSession({ partnerId: 'acme', device: 'web' })).json();
    revoked.add(sessionId);
    const res = await createLink(sessionId, 'https://shop.example/');
    expect(res.statusCode).toBe(401);
    expect(res.json().error.message).toContain('revoked');
  });

  it('answers 404 when the session partner has been deactivated since', async () => {
    const { sessionId } = (await startSession({ partnerId: 'acme', device: 'web' })).json();
    current = { ...config, partners: config.partners.map((p) => ({ ...p, active: false })) };
    expect((await createLink(sessionId, 'https://shop.example/')).statusCode).toBe(404);
  });

  it('limits each partner to its rate and refills with time', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++)
      statuses.push((await startSession({ partnerId: 'acme', device: 'web' })).statusCode);
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429, 429]);
    clock.advance(1000);
    expect((await startSession({ partnerId: 'acme', device: 'web' })).statusCode).toBe(201);
  });

  it('answers 503 before the config is warm and when the outbox refuses', async () => {
    current = undefined;
    expect((await startSession({ partnerId: 'acme', device: 'web' })).json().error.code).toBe(
      'config-not-warm',
    );
    current = config;
    outboxBroken = true;
    const res = await startSession({ partnerId: 'acme', device: 'web' });
    expect(res.statusCode).toBe(503);
    expect(res.json().error.code).toBe('outbox-unavailable');
  });

  it('answers only once the event is committed to the outbox', async () => {
    let resolveCommit!: (v: unknown) => void;
    commit = new Promise((r) => {
      resolveCommit = r;
    });
    let answered = false;
    const pending = startSession({ partnerId: 'acme', device: 'web' }).then((res) => {
      answered = true;
      return res;
    });
    for (let i = 0; i < 20 && events.length === 0; i++) await new Promise((r) => setImmediate(r));
    expect(events).toHaveLength(1);
    expect(answered).toBe(false);
    resolveCommit('key');
    expect((await pending).statusCode).toBe(201);
  });

  it('refuses at creation (422) a destination whose link could never be followed', async () => {
    const { sessionId } = (await startSession({ partnerId: 'acme', device: 'web' })).json();
    // 1,500 characters as typed, far under maxDestinationLength; 9,000+ once percent-encoded.
    const res = await createLink(sessionId, `https://shop.example/${'é'.repeat(1500)}`);
    expect(res.statusCode).toBe(422);
    expect(res.json()).toEqual({ error: { code: 'invalid-destination', message: expect.any(String) } });
    expect(events.map((e) => e.topic)).toEqual(['session-started']);
  });

  it('answers 201 only for links that redirect (any destination, encoded or not)', async () => {
    const { sessionId } = (await startSession({ partnerId: 'acme', device: 'web' })).json();
    await fc.assert(
      fc.asyncProperty(
        fc.string({
          unit: fc.constantFrom('a', 'é', '€', '😀', '%', ' ', '?', '#', '/'),
          maxLength: 2400,
          size: 'max',
        }),
        async (path) => {
          clock.advance(1000); // a fresh partner bucket per run
          const destination = `https://shop.example/${path}`;
          const res = await createLink(sessionId, destination);
          // 2,400 four-byte characters can exceed this app's 4,096-byte body limit: 413, as
          // documented, and only then.
          const overLimit = Buffer.byteLength(JSON.stringify({ destination })) > 4096;
          if (overLimit) {
            expect(res.statusCode).toBe(413);
            return;
          }
          if (res.statusCode !== 201) {
            expect(res.statusCode).toBe(422);
            return;
          }
          const token = new URL(res.json().link).pathname.slice('/l/'.length);
          const followed = await app.inject({ method: 'GET', url: `/l/${token}` });
          expect(followed.statusCode).toBe(302);
          expect(followed.headers.location).toBe(new URL(destination).href);
        },
      ),
      { numRuns: 40, endOnFailure: true },
    );
  });

  it('answers a link token over the limit with the documented 404, not a framework 414', async () => {
    const res = await app.inject({ method: 'GET', url: `/l/${'A'.repeat(MAX_LINK_TOKEN_CHARS + 1)}` });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'unknown-link', message: expect.any(String) } });
    expect(res.headers['x-meridian-region']).toBe('eu-west-2');
  });

  it('says when to retry in every 429', async () => {
    const from = (remoteAddress: string) =>
      app.inject({
        method: 'POST',
        url: '/v1/sessions',
        remoteAddress,
        payload: { partnerId: 'acme', device: 'web' },
      });
    for (let i = 1; i <= 5; i++) expect((await from(`198.51.100.${i}`)).statusCode).toBe(201);
    const res = await from('198.51.100.6');
    expect(res.statusCode).toBe(429);
    expect(res.json().error.code).toBe('rate-limited');
    expect(res.headers['retry-after']).toBe('1');
  });

  it('maps body, JSON and routing errors to JSON errors', async () => {
    const big = await app.inject({
      method: 'POST',
      url: '/v1/sessions',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ partnerId: 'acme', device: 'x'.repeat(5000) }),
    });
    expect(big.statusCode).toBe(413);
    expect(big.json().error.code).toBe('body-too-large');
    const bad = await app.inject({
      method: 'POST',
      url: '/v1/sessions',
      headers: { 'content-type': 'application/json' },
      payload: '{nope',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('invalid-json');
    const text = await app.inject({
      method: 'POST',
      url: '/v1/sessions',
      headers: { 'content-type': 'application/xml' },
      payload: '<a/>',
    });
    expect(text.statusCode).toBe(415);
    const missing = await app.inject({ method: 'GET', url: '/nope' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('not-found');
    expect(missing.headers['x-meridian-region']).toBe('eu-west-2');
    const forged = await app.inject({ method: 'GET', url: '/l/AQEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' });
    expect(forged.statusCode).toBe(404);
    expect(forged.json().error.code).toBe('unknown-link');
  });
});

describe('session creation per client', () => {
  let app: FastifyInstance;
  let clock: ManualClock;

  beforeEach(async () => {
    clock = new ManualClock();
    app = createLinksApp({ region: 'eu-west-2' });
    registerLinksRoutes(app, {
      region: 'eu-west-2',
      config: () => ({ ...config, partners: config.partners.map((p) => ({ ...p, rateLimitRps: 10 })) }),
      sessions: fakeSessions(new Set()),
      events: { enqueue: () => Promise.resolve('key') },
      linkTokens: createLinkTokenCodec([{ id: 1, secret: Buffer.alloc(32, 7) }]),
      // Each client (an IPv4 address, an IPv6 /56) may use 10 % of a partner's rate.
      rateLimiter: new PartnerRateLimiter(clock, { clientSharePercent: 10 }),
      clock,
    });
    await app.ready();
  });
  afterEach(() => app.close());

  const startSession = (remoteAddress: string) =>
    app.inject({
      method: 'POST',
      url: '/v1/sessions',
      remoteAddress,
      payload: { partnerId: 'acme', device: 'ios' },
    });

  it("refuses a flooding client by its own limit, before it spends the partner's", async () => {
    const flood: number[] = [];
    for (let i = 0; i < 50; i++) flood.push((await startSession('203.0.113.7')).statusCode);
    expect(flood.filter((s) => s === 201)).toHaveLength(1);
    const refused = await startSession('203.0.113.7');
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toEqual({ error: { code: 'client-rate-limited', message: expect.any(String) } });
    expect(refused.headers['retry-after']).toBe('1');
    // The partner's 10 requests/s minus the flooder's one: nine real users, nine sessions.
    const users: number[] = [];
    for (let i = 1; i <= 9; i++) users.push((await startSession(`198.51.100.${i}`)).statusCode);
    expect(users).toEqual(Array(9).fill(201));
    expect((await startSession('198.51.100.10')).json().error.code).toBe('rate-limited');
  });

  it('counts an IPv6 /56 as one client, and a mapped IPv4 address as that address', async () => {
    expect((await startSession('2001:db8:0:1::1')).statusCode).toBe(201);
    expect((await startSession('2001:db8:0:ff::2')).json().error.code).toBe('client-rate-limited');
    expect((await startSession('2001:db8:0:100::1')).statusCode).toBe(201);
    expect((await startSession('192.0.2.1')).statusCode).toBe(201);
    expect((await startSession('::ffff:192.0.2.1')).json().error.code).toBe('client-rate-limited');
    clock.advance(1000);
    expect((await startSession('::ffff:192.0.2.1')).statusCode).toBe(201);
  });
});
