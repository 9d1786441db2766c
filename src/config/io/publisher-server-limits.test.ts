// The standalone publisher server has the shared HTTP limits (src/http).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { destroyRawClients, rawClient } from '../../http/test-support/raw-http-client.js';
import { type PublisherServer, startPublisherServer } from './publisher-routes.js';

describe('startPublisherServer HTTP limits', () => {
  let server: PublisherServer;
  beforeAll(async () => {
    server = await startPublisherServer({
      publishers: [],
      httpLimits: { headersTimeoutMs: 300, requestTimeoutMs: 1_000, timeoutCheckIntervalMs: 50 },
    });
  });
  afterAll(async () => {
    destroyRawClients();
    await server?.close();
  });

  it('disconnects a client that sends its headers byte by byte', async () => {
    const slow = rawClient(Number(new URL(server.url).port));
    await slow.dripHeaders('/config/links');
    expect(slow.received()).toMatch(/^HTTP\/1\.1 408/);
  });
});
