// Home's admin API against the issue-17 findings: an empty, blank or short token and an open
// bind off loopback are refused before home opens anything; Host, Origin and JSON are checked
// on every admin route; slow clients and one client's many connections are cut off.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { generateSigningKeys } from '../../config/index.js';
import { isMeridianError } from '../../core/index.js';
import { destroyRawClients, rawClient, sendRequest } from '../../http/test-support/raw-http-client.js';
import { linksWorkload } from '../../links/io/index.js';
import { type HomeOptions, type RunningHome, startHome } from './start-home.js';

const TOKEN = 'home-safety-admin-token';
const dir = mkdtempSync(join(tmpdir(), 'meridian-home-safety-'));
const signingKey = generateSigningKeys().privateKey;
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => destroyRawClients());

function options(name: string, more: Partial<HomeOptions> = {}): HomeOptions {
  return {
    workload: linksWorkload(),
    host: '127.0.0.1',
    port: 0,
    dataDir: join(dir, name),
    escrowDir: join(dir, name, 'escrow'),
    signingKey,
    adminToken: TOKEN,
    requestSecret: 'home-safety-request-secret-0123456789abcdef',
    buildVersion: 'test',
    ...more,
  };
}

async function refusal(more: Partial<HomeOptions>): Promise<unknown> {
  // A data directory that cannot be opened: anything home touched before its checks fails with
  // MERIDIAN_HOME_DATABASE instead, and nothing can ever listen.
  const blocked = join(dir, `blocked-${Math.random().toString(36).slice(2)}`);
  writeFileSync(blocked, 'not a directory');
  try {
    const home = await startHome({ ...options('x'), dataDir: join(blocked, 'home'), ...more });
    await home.stop();
    return undefined;
  } catch (err) {
    return err;
  }
}

describe('home refuses to start with an unsafe admin token', () => {
  it.each([
    ['empty', ''],
    ['whitespace', ' \n\t'],
    ['one character', 'x'],
    ['15 characters', '0123456789abcde'],
  ])('%s: MERIDIAN_HTTP_ADMIN_TOKEN_INVALID, before opening anything', async (_what, adminToken) => {
    const err = await refusal({ adminToken });
    expect(isMeridianError(err, 'MERIDIAN_HTTP_ADMIN_TOKEN_INVALID')).toBe(true);
    expect((err as Error).message).toMatch(/openssl rand/);
  });

  it('refuses to bind 0.0.0.0 without a token, before listening', async () => {
    const err = await refusal({ host: '0.0.0.0', adminToken: undefined as unknown as string });
    expect(isMeridianError(err, 'MERIDIAN_HTTP_ADMIN_UNSAFE')).toBe(true);
  });
});

describe("home's admin routes over HTTP", () => {
  let home: RunningHome;
  let port: number;
  beforeAll(async () => {
    home = await startHome(options('guarded'));
    port = Number(new URL(home.url).port);
  });
  afterAll(() => home?.stop());

  const auth = { authorization: `Bearer ${TOKEN}` };
  const json = { ...auth, 'content-type': 'application/json' };
  const partner = JSON.stringify({
    name: 'Acme',
    linkTemplate: 'https://links.example.test/l/{token}',
    allowedHosts: ['shop.example'],
    rateLimitRps: 10,
    active: true,
  });

  it('refuses a foreign Origin, even with the token', async () => {
    const res = await sendRequest(
      port,
      'PUT',
      '/v1/admin/partners/evil',
      { ...json, origin: 'http://attacker.example' },
      partner,
    );
    expect(res.status).toBe(403);
    expect(res.json()).toMatchObject({ error: { code: 'origin-not-allowed' } });
  });

  it('refuses a Host that is not its own (DNS rebinding)', async () => {
    const res = await sendRequest(port, 'GET', '/v1/admin/partners', {
      ...auth,
      host: `attacker.example:${port}`,
    });
    expect(res.status).toBe(403);
    expect(res.json()).toMatchObject({ error: { code: 'host-not-allowed' } });
  });

  it('refuses a text/plain change and a DELETE without JSON (415)', async () => {
    const plain = await sendRequest(
      port,
      'POST',
      '/v1/admin/publish',
      { ...auth, 'content-type': 'text/plain' },
      '{}',
    );
    expect(plain.status).toBe(415);
    const del = await sendRequest(port, 'DELETE', '/v1/admin/partners/acme', auth);
    expect(del.status).toBe(415);
  });

  it('takes a JSON change from a local client with its own Host, and an empty JSON POST', async () => {
    const put = await sendRequest(
      port,
      'PUT',
      '/v1/admin/partners/acme',
      { ...json, host: `127.0.0.1:${port}` },
      partner,
    );
    expect(put.status).toBe(200);
    const publish = await sendRequest(port, 'POST', '/v1/admin/publish', { ...json, 'content-length': '0' });
    expect(publish.status).toBe(200);
    const del = await sendRequest(port, 'DELETE', '/v1/admin/partners/acme', {
      ...json,
      'content-length': '0',
    });
    expect(del.status).toBe(200);
  });

  it('leaves the routes regions call alone (config, health)', async () => {
    const res = await sendRequest(port, 'GET', '/healthz', { host: 'home.internal:7000' });
    expect(res.status).toBe(200);
  });
});

describe("home's HTTP limits", () => {
  let home: RunningHome;
  let port: number;
  beforeAll(async () => {
    home = await startHome(
      options('limited', {
        httpLimits: {
          headersTimeoutMs: 300,
          requestTimeoutMs: 1_000,
          timeoutCheckIntervalMs: 50,
          maxConnectionsPerClient: 2,
        },
      }),
    );
    port = Number(new URL(home.url).port);
  });
  afterAll(() => home?.stop());

  it('disconnects a client that sends its headers byte by byte', async () => {
    const slow = rawClient(port, '127.0.0.9');
    await slow.dripHeaders('/livez');
    expect(slow.received()).toMatch(/^HTTP\/1\.1 408/);
  });

  it("refuses one client's connection past its cap while another address is served", async () => {
    const a = rawClient(port, '127.0.0.1');
    const b = rawClient(port, '127.0.0.1');
    expect(await a.get('/livez')).toBe(200);
    expect(await b.get('/livez')).toBe(200);
    const c = rawClient(port, '127.0.0.1');
    await c.closed;
    expect(c.received()).toBe('');
    expect(await rawClient(port, '127.0.0.2').get('/livez')).toBe(200);
  });
});
