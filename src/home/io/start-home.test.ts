// Home's HTTP API in process (SQLite, port 0): admin auth and validation, one snapshot per
// change, the snapshot over HTTP with ETag, partner-relay idempotency, the baseline row API.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSigningKeys } from '../../config/index.js';
import { decodeSenderKey, deriveSenderKey, signRequest } from '../../core/index.js';
import { linksWorkload } from '../../links/io/index.js';
import { type RunningHome, startHome } from './start-home.js';

const TOKEN = 'home-test-admin-token';
const SECRET = 'home-test-request-secret-0123456789abcdef';
const acme = {
  name: 'Acme',
  linkTemplate: 'https://links.example.test/l/{token}',
  allowedHosts: ['shop.example'],
  rateLimitRps: 10,
  active: true,
};

describe('home HTTP API', () => {
  let dir: string;
  let home: RunningHome;
  const auth = { authorization: `Bearer ${TOKEN}` };
  /** POST `payload` as JSON, signed by `sender` with `key` (default: its key from SECRET). */
  const signedPost = (
    url: string,
    payload: unknown,
    sender: string,
    key = deriveSenderKey(SECRET, sender),
  ) => {
    const body = JSON.stringify(payload);
    const headers = signRequest({ key, sender, method: 'POST', path: url, body, nowMs: Date.now() });
    return home.app.inject({
      method: 'POST',
      url,
      payload: body,
      headers: { ...headers, 'content-type': 'application/json' },
    });
  };
  const signedGet = (url: string, sender: string) =>
    home.app.inject({
      method: 'GET',
      url,
      headers: signRequest({
        key: deriveSenderKey(SECRET, sender),
        sender,
        method: 'GET',
        path: url,
        nowMs: Date.now(),
      }),
    });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'meridian-home-'));
    home = await startHome({
      workload: linksWorkload(),
      port: 0,
      dataDir: dir,
      escrowDir: join(dir, 'escrow'),
      signingKey: generateSigningKeys().privateKey,
      adminToken: TOKEN,
      requestSecret: SECRET,
      configName: 'links',
      buildVersion: 'test',
    });
  });
  afterAll(async () => {
    await home?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses the admin API without the bearer token', async () => {
    for (const headers of [{}, { authorization: 'Bearer wrong' }, { authorization: TOKEN }]) {
      const res = await home.app.inject({
        method: 'PUT',
        url: '/v1/admin/partners/acme',
        headers,
        payload: acme,
      });
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('unauthorized');
    }
  });

  it('publishes one new snapshot per change and serves it with an ETag', async () => {
    const v0 = home.publisher.lastVersion();
    const put = await home.app.inject({
      method: 'PUT',
      url: '/v1/admin/partners/acme',
      headers: auth,
      payload: acme,
    });
    expect(put.statusCode).toBe(200);
    expect(put.json().configVersion).toBe(v0 + 1);
    const bad = await home.app.inject({
      method: 'PUT',
      url: '/v1/admin/partners/acme',
      headers: auth,
      payload: { ...acme, linkTemplate: 'ftp://x/l/{token}' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain('linkTemplate');
    const settings = await home.app.inject({
      method: 'PATCH',
      url: '/v1/admin/settings',
      headers: auth,
      payload: { sessionTtlSeconds: 600 },
    });
    expect(settings.json()).toEqual({
      settings: { sessionTtlSeconds: 600, maxDestinationLength: 2048 },
      configVersion: v0 + 2,
    });
    const served = await home.app.inject({ method: 'GET', url: '/config/links' });
    expect(served.statusCode).toBe(200);
    const again = await home.app.inject({
      method: 'GET',
      url: '/config/links',
      headers: { 'if-none-match': String(served.headers.etag) },
    });
    expect(again.statusCode).toBe(304);
    const revoke = await home.app.inject({
      method: 'POST',
      url: '/v1/admin/revocations',
      headers: auth,
      payload: { partnerId: 'acme', extra: 1 },
    });
    expect(revoke.statusCode).toBe(400);
    expect(home.publisher.lastVersion()).toBe(v0 + 2);
  });

  it('refuses anonymous writes to ingest, partner-relay and the baseline row API', async () => {
    const writes = [
      {
        url: '/v1/ingest',
        payload: { region: 'eu-west-2', events: [{ key: 'k', topic: 't', enqueuedAtMs: 1, payload: 1 }] },
      },
      {
        url: '/v1/partner-events',
        payload: { eventId: 'e-anon', partnerId: 'acme', type: 'order', payload: {} },
      },
      { url: '/v1/baseline/sessions', payload: { partnerId: 'acme', device: 'ios' } },
      {
        url: '/v1/baseline/links',
        payload: { sessionId: 's', partnerId: 'acme', destination: 'javascript:alert(1)' },
      },
    ];
    for (const { url, payload } of writes) {
      const res = await home.app.inject({ method: 'POST', url, payload });
      expect({ url, status: res.statusCode }).toEqual({ url, status: 401 });
    }
    expect(await home.ingest.count()).toBe(0);
  });

  it('takes ingest batches signed by a region, for that region only', async () => {
    const batch = { region: 'eu-west-2', events: [{ key: 'e1', topic: 't', enqueuedAtMs: 1, payload: 1 }] };
    expect((await signedPost('/v1/ingest', batch, 'region:af-south-1')).statusCode).toBe(403);
    expect((await signedPost('/v1/ingest', batch, 'partner:acme')).statusCode).toBe(401);
    const res = await signedPost('/v1/ingest', batch, 'region:eu-west-2');
    expect(res.json()).toEqual({ stored: 1, duplicates: 0, rejected: [] });
  });

  it('stores partner events signed with the relay key the admin API gives the partner', async () => {
    const keyRes = await home.app.inject({
      method: 'GET',
      url: '/v1/admin/partners/acme/relay-key',
      headers: auth,
    });
    expect(keyRes.statusCode).toBe(200);
    const { sender, key } = keyRes.json();
    expect(sender).toBe('partner:acme');
    const relayKey = decodeSenderKey(key)!;
    expect(
      (await home.app.inject({ method: 'GET', url: '/v1/admin/partners/acme/relay-key' })).statusCode,
    ).toBe(401);
    expect(
      (await home.app.inject({ method: 'GET', url: '/v1/admin/partners/nobody/relay-key', headers: auth }))
        .statusCode,
    ).toBe(404);

    const event = { eventId: 'order-1', partnerId: 'acme', type: 'order', payload: { total: 1 } };
    const first = await signedPost('/v1/partner-events', event, 'partner:acme', relayKey);
    const replay = await signedPost('/v1/partner-events', event, 'partner:acme', relayKey);
    expect([first.statusCode, replay.statusCode]).toEqual([201, 200]);
    expect(replay.json().duplicate).toBe(true);
    const forOther = await signedPost(
      '/v1/partner-events',
      { ...event, partnerId: 'globex' },
      'partner:acme',
      relayKey,
    );
    expect(forOther.statusCode).toBe(403);
    const byRegion = await signedPost('/v1/partner-events', event, 'region:eu-west-2');
    expect(byRegion.statusCode).toBe(401);
    const unknown = await signedPost(
      '/v1/partner-events',
      { ...event, partnerId: 'nobody' },
      'partner:nobody',
    );
    expect(unknown.statusCode).toBe(404);
    const invalid = await signedPost('/v1/partner-events', { ...event, eventId: '' }, 'partner:acme');
    expect(invalid.statusCode).toBe(400);
  });

  it('serves the baseline row API to regions, and empty stats', async () => {
    const s = await signedPost(
      '/v1/baseline/sessions',
      { partnerId: 'acme', device: 'ios' },
      'region:eu-west-2',
    );
    expect(s.statusCode).toBe(201);
    const row = await signedGet(`/v1/baseline/sessions/${s.json().id}`, 'region:eu-west-2');
    expect(row.json()).toMatchObject({ partnerId: 'acme', device: 'ios' });
    expect(
      (await home.app.inject({ method: 'GET', url: `/v1/baseline/sessions/${s.json().id}` })).statusCode,
    ).toBe(401);
    expect((await signedGet('/v1/baseline/partners/acme', 'partner:acme')).statusCode).toBe(401);
    const stats = await home.app.inject({ method: 'GET', url: '/v1/stats' });
    expect(stats.json()).toEqual({ dailyActiveSessions: {}, linksCreated: {} });
  });

  it('checks baseline destinations as the regions do', async () => {
    const { id: sessionId } = (
      await signedPost('/v1/baseline/sessions', { partnerId: 'acme', device: 'ios' }, 'region:eu-west-2')
    ).json();
    const link = (destination: string) =>
      signedPost('/v1/baseline/links', { sessionId, partnerId: 'acme', destination }, 'region:eu-west-2');
    for (const [destination, code] of [
      ['javascript:alert(1)', 'invalid-destination'],
      ['data:text/html,<script>alert(1)</script>', 'invalid-destination'],
      ['https://user:pw@shop.example/', 'invalid-destination'],
      ['https://evil.example/', 'destination-not-allowed'],
      [`https://shop.example/${'é'.repeat(1500)}`, 'invalid-destination'],
    ]) {
      const res = await link(destination!);
      expect({ destination, status: res.statusCode, code: res.json().error?.code }).toEqual({
        destination,
        status: 422,
        code,
      });
    }
    const ok = await link('https://SHOP.example/p/1');
    expect(ok.statusCode).toBe(201);
    const stored = await signedGet(`/v1/baseline/links/${ok.json().id}`, 'region:eu-west-2');
    expect(stored.json()).toEqual({ destination: 'https://shop.example/p/1' });
  });
});
