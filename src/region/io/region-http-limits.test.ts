// A region's listener has the shared HTTP limits (src/http): a slow client is cut off by the
// header deadline and one address cannot take more than its share of connections. Router-level
// errors (a 6000-character token, bad percent-encoding) and non-JSON bodies keep the links contract.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deriveSenderKey } from '../../core/index.js';
import { destroyRawClients, rawClient } from '../../http/test-support/raw-http-client.js';
import { type RunningBaselineRegion, startBaselineRegion } from '../../links/io/index.js';
import { loadWorld } from '../../world/io/index.js';
import { writeLabFiles } from '../test-support/lab-world.js';

describe('region HTTP limits', () => {
  const dir = mkdtempSync(join(tmpdir(), 'meridian-region-limits-'));
  let region: RunningBaselineRegion;
  let port: number;
  beforeAll(async () => {
    const world = loadWorld(writeLabFiles(dir).world);
    // Baseline mode: nothing to warm up, and /livez answers without home.
    region = await startBaselineRegion({
      world,
      name: 'eu-west-2',
      homeUrl: 'http://127.0.0.1:9',
      host: '127.0.0.1',
      port: 0,
      buildVersion: 'test',
      regionKey: deriveSenderKey('region-limits-test-request-secret-0123456789', 'region:eu-west-2'),
      httpLimits: {
        headersTimeoutMs: 300,
        requestTimeoutMs: 1_000,
        timeoutCheckIntervalMs: 50,
        maxConnectionsPerClient: 2,
      },
    });
    port = Number(new URL(region.url).port);
  });
  afterEach(() => destroyRawClients());
  afterAll(async () => {
    await region?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

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

describe('region router-level errors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'meridian-region-router-'));
  let region: RunningBaselineRegion;
  let port: number;
  beforeAll(async () => {
    region = await startBaselineRegion({
      world: loadWorld(writeLabFiles(dir).world),
      name: 'eu-west-2',
      homeUrl: 'http://127.0.0.1:9',
      host: '127.0.0.1',
      port: 0,
      buildVersion: 'test',
      regionKey: deriveSenderKey('region-router-test-request-secret-0123456789', 'region:eu-west-2'),
    });
    port = Number(new URL(region.url).port);
  });
  afterAll(async () => {
    await region?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers router-level errors and non-JSON bodies as the links API does, with its region header', async () => {
    const base = `http://127.0.0.1:${port}`;
    const get = async (path: string) => {
      const res = await fetch(`${base}${path}`);
      const text = await res.text();
      return { status: res.status, region: res.headers.get('x-meridian-region'), text };
    };
    const long = await get(`/l/${'t'.repeat(6000)}`);
    expect(long).toMatchObject({ status: 404, region: 'eu-west-2' });
    expect(JSON.parse(long.text).error.code).toBe('unknown-link');
    expect(long.text).not.toContain('tttttttttt');
    const bad = await get('/l/%E0%A4%A');
    expect(bad).toMatchObject({ status: 400, region: 'eu-west-2' });
    expect(JSON.parse(bad.text)).toEqual({
      error: { code: 'invalid-url', message: 'the URL path is not valid percent-encoded UTF-8' },
    });
    const text = await fetch(`${base}/v1/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '{"partnerId":"acme","device":"ios"}',
    });
    expect(text.status).toBe(415);
    expect(((await text.json()) as { error: { code: string } }).error.code).toBe('unsupported-media-type');
  });
});
