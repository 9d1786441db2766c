// Home's HTTP API in process (SQLite, port 0): admin auth and validation, one snapshot per
// change, the snapshot over HTTP with ETag, partner-relay idempotency, the baseline row API.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSigningKeys } from '../../config/index.js';
import { type RunningHome, startHome } from './start-home.js';

const TOKEN = 'home-test-admin-token';
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

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'meridian-home-'));
    home = await startHome({
      port: 0,
      dataDir: dir,
      escrowDir: join(dir, 'escrow'),
      signingKey: generateSigningKeys().privateKey,
      adminToken: TOKEN,
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

  it('stores partner events once and acknowledges replays', async () => {
    const event = { eventId: 'order-1', partnerId: 'acme', type: 'order', payload: { total: 1 } };
    const first = await home.app.inject({ method: 'POST', url: '/v1/partner-events', payload: event });
    const replay = await home.app.inject({ method: 'POST', url: '/v1/partner-events', payload: event });
    expect([first.statusCode, replay.statusCode]).toEqual([201, 200]);
    expect(replay.json().duplicate).toBe(true);
    const unknown = await home.app.inject({
      method: 'POST',
      url: '/v1/partner-events',
      payload: { ...event, partnerId: 'nobody' },
    });
    expect(unknown.statusCode).toBe(404);
    const invalid = await home.app.inject({
      method: 'POST',
      url: '/v1/partner-events',
      payload: { ...event, eventId: '' },
    });
    expect(invalid.statusCode).toBe(400);
  });

  it('serves the baseline row API and empty stats', async () => {
    const s = await home.app.inject({
      method: 'POST',
      url: '/v1/baseline/sessions',
      payload: { partnerId: 'acme', device: 'ios' },
    });
    expect(s.statusCode).toBe(201);
    const row = await home.app.inject({ method: 'GET', url: `/v1/baseline/sessions/${s.json().id}` });
    expect(row.json()).toMatchObject({ partnerId: 'acme', device: 'ios' });
    const stats = await home.app.inject({ method: 'GET', url: '/v1/stats' });
    expect(stats.json()).toEqual({ dailyActiveSessions: {}, linksCreated: {} });
  });
});
