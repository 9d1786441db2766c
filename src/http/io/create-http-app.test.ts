// Every Meridian HTTP listener is built by createHttpApp: header and request deadlines that hold
// for a client sending one byte at a time, a per-client connection cap, and a global cap that
// makes room for a newcomer. Real sockets on loopback, small configured limits, no sleeps.
import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { destroyRawClients, rawClient } from '../test-support/raw-http-client.js';
import { createHttpApp } from './create-http-app.js';

let app: FastifyInstance | undefined;
afterEach(async () => {
  destroyRawClients();
  await app?.close();
  app = undefined;
});

async function listen(options: Parameters<typeof createHttpApp>[1]): Promise<number> {
  app = createHttpApp({ forceCloseConnections: true }, options);
  app.get('/hello', async () => ({ hello: 'world' }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  const a = app.server.address();
  return typeof a === 'object' && a ? a.port : 0;
}

const fast = { headersTimeoutMs: 300, requestTimeoutMs: 1_000, timeoutCheckIntervalMs: 50 };

describe('createHttpApp', () => {
  it('disconnects a client that sends its headers one byte at a time (408 at the header deadline)', async () => {
    const port = await listen({ limits: fast });
    const slow = rawClient(port);
    await slow.dripHeaders('/hello');
    expect(slow.received()).toMatch(/^HTTP\/1\.1 408/);
  });

  it('disconnects a client that connects and says nothing', async () => {
    const port = await listen({ limits: fast });
    const silent = rawClient(port);
    await silent.closed;
    expect(silent.received()).toMatch(/^HTTP\/1\.1 408/);
  });

  it('refuses the connection past the per-client cap while another loopback address is served', async () => {
    const registry = new Registry();
    const port = await listen({ limits: { maxConnectionsPerClient: 2 }, registry, name: 'test' });
    const first = rawClient(port, '127.0.0.1');
    const second = rawClient(port, '127.0.0.1');
    expect(await first.get('/hello')).toBe(200);
    expect(await second.get('/hello')).toBe(200);
    const third = rawClient(port, '127.0.0.1');
    await third.closed;
    expect(third.received()).toBe('');
    const other = rawClient(port, '127.0.0.2');
    expect(await other.get('/hello')).toBe(200);
    // the first two stay open and keep being served
    expect(await first.get('/hello')).toBe(200);
    const text = await registry.getSingleMetricAsString('meridian_http_connections_refused_total');
    expect(text).toContain('meridian_http_connections_refused_total{server="test",reason="per-client"} 1');
  });

  it('at the global cap, serves a newcomer by closing the oldest connection that has no request', async () => {
    const port = await listen({ limits: { maxConnections: 3, maxConnectionsPerClient: 0 } });
    const idle = [rawClient(port, '127.0.0.3'), rawClient(port, '127.0.0.4'), rawClient(port, '127.0.0.5')];
    for (const c of idle) {
      await c.connected;
      c.socket.write('GET /hello HTTP/1.1\r\nHost: x\r\n'); // headers never finished
    }
    const newcomer = rawClient(port, '127.0.0.1');
    expect(await newcomer.get('/hello')).toBe(200);
    const evicted = await Promise.race(idle.map((c, i) => c.closed.then(() => i)));
    expect(idle[evicted]!.received()).toBe('');
  });

  it('applies the configured deadlines to the Node server', async () => {
    await listen({
      limits: {
        headersTimeoutMs: 1_234,
        requestTimeoutMs: 5_678,
        keepAliveTimeoutMs: 4_321,
        idleTimeoutMs: 9_876,
        maxRequestsPerSocket: 77,
      },
    });
    const server = app!.server;
    expect(server.headersTimeout).toBe(1_234);
    expect(server.requestTimeout).toBe(5_678);
    expect(server.keepAliveTimeout).toBe(4_321);
    expect(server.timeout).toBe(9_876);
    expect(server.maxRequestsPerSocket).toBe(77);
  });
});
