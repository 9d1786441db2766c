// A region's listener has the shared HTTP limits (src/http): a slow client is cut off by the
// header deadline and one address cannot take more than its share of connections.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deriveSenderKey } from '../../core/index.js';
import { destroyRawClients, rawClient } from '../../http/test-support/raw-http-client.js';
import { loadWorld } from '../../world/io/index.js';
import { writeLabFiles } from '../test-support/lab-world.js';
import { type RunningRegion, startRegion } from './start-region.js';

describe('region HTTP limits', () => {
  const dir = mkdtempSync(join(tmpdir(), 'meridian-region-limits-'));
  let region: RunningRegion;
  let port: number;
  beforeAll(async () => {
    const world = loadWorld(writeLabFiles(dir).world);
    // Baseline mode: nothing to warm up, and /livez answers without home.
    region = await startRegion({
      world,
      name: 'eu-west-2',
      homeUrl: 'http://127.0.0.1:9',
      host: '127.0.0.1',
      port: 0,
      buildVersion: 'test',
      mode: 'baseline',
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
