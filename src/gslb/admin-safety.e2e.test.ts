// The GSLB admin API against the issue-17 findings: a blank or short token refused at start, no
// open bind off loopback, and on loopback without a token no cross-site or rebound request gets
// through (Host, Origin, JSON); slow clients are cut off by the header deadline.
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isMeridianError } from '../core/index.js';
import { destroyRawClients, rawClient, sendRequest } from '../http/test-support/raw-http-client.js';
import { Gslb, type GslbOptions } from './gslb.js';
import { type E2e, startE2e, until } from './test-support/e2e-world.js';

afterEach(() => destroyRawClients());

function constructionError(opts: Partial<GslbOptions>): unknown {
  try {
    new Gslb({ worldPath: 'x.yaml', logger: pino({ level: 'silent' }), ...opts });
  } catch (err) {
    return err;
  }
  return undefined;
}

describe('GSLB admin API: what it refuses at start', () => {
  it('refuses to bind off loopback without a bearer token', () => {
    const err = constructionError({ admin: { host: '0.0.0.0', port: 0 } });
    expect(isMeridianError(err, 'MERIDIAN_HTTP_ADMIN_UNSAFE')).toBe(true);
  });

  it.each([
    ['empty', ''],
    ['whitespace', '   '],
    ['short', 'sekret'],
  ])('refuses a token that is %s', (_what, adminToken) => {
    const err = constructionError({ admin: { host: '127.0.0.1', port: 0 }, adminToken });
    expect(isMeridianError(err, 'MERIDIAN_HTTP_ADMIN_TOKEN_INVALID')).toBe(true);
  });
});

describe('GSLB admin API on loopback without a token', () => {
  let e: E2e;
  let port: number;
  beforeAll(async () => {
    e = await startE2e({
      adminHttpLimits: { headersTimeoutMs: 300, requestTimeoutMs: 1_000, timeoutCheckIntervalMs: 50 },
    });
    port = e.gslb.adminPort;
    await until('all regions up', async () => e.gslb.monitor.table().regions.every((r) => r.serving));
  });
  afterAll(() => e?.stop());

  const drained = () => e.gslb.monitor.table().regions.find((r) => r.name === 'af-south-1')!.drained;

  it('refuses a cross-site text/plain POST with a foreign Origin (the finding), and drains nothing', async () => {
    const res = await sendRequest(
      port,
      'POST',
      '/v1/regions/af-south-1/drain',
      { 'content-type': 'text/plain', origin: 'http://attacker.example' },
      'x',
    );
    expect(res.status).toBe(403);
    expect(drained()).toBe(false);
  });

  it('refuses a text/plain POST without an Origin (older browsers) with 415', async () => {
    const res = await sendRequest(
      port,
      'POST',
      '/v1/regions/af-south-1/drain',
      { 'content-type': 'text/plain' },
      'x',
    );
    expect(res.status).toBe(415);
    expect(drained()).toBe(false);
  });

  it('refuses a Host that is not its own (DNS rebinding), also for reads', async () => {
    const res = await sendRequest(port, 'GET', '/v1/state', { host: `rebind.attacker.example:${port}` });
    expect(res.status).toBe(403);
    const post = await sendRequest(
      port,
      'POST',
      '/v1/regions/af-south-1/drain',
      { host: `rebind.attacker.example:${port}`, 'content-type': 'application/json' },
      '{}',
    );
    expect(post.status).toBe(403);
    expect(drained()).toBe(false);
  });

  it('takes a JSON POST with its own Host, and an empty JSON POST', async () => {
    const res = await sendRequest(
      port,
      'POST',
      '/v1/regions/af-south-1/drain',
      { host: `127.0.0.1:${port}`, 'content-type': 'application/json' },
      '{}',
    );
    expect(res.status).toBe(200);
    expect(drained()).toBe(true);
    const undrain = await sendRequest(port, 'POST', '/v1/regions/af-south-1/undrain', {
      'content-type': 'application/json',
      'content-length': '0',
    });
    expect(undrain.status).toBe(200);
    expect(drained()).toBe(false);
  });

  it('disconnects a client that sends its headers byte by byte', async () => {
    const slow = rawClient(port);
    await slow.dripHeaders('/v1/state');
    expect(slow.received()).toMatch(/^HTTP\/1\.1 408/);
  });
});
