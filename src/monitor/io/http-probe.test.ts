import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type Socket, type Server as TcpServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpProbe } from './http-probe.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function listen(server: Server | TcpServer, sockets: Set<Socket> = new Set()): Promise<number> {
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const addr = server.address();
  if (!addr || typeof addr === 'string') throw new Error('no port');
  return addr.port;
}

function httpServer(status: number): Server {
  return createServer((req, res) => {
    res.writeHead(req.url === '/healthz' ? status : 404, { 'content-type': 'text/plain' });
    res.end('body\n');
  });
}

const probe = new HttpProbe();
const target = (port: number, extra: { path?: string; timeoutMs?: number; signal?: AbortSignal } = {}) => ({
  address: '127.0.0.1',
  port,
  path: extra.path ?? '/healthz',
  timeoutMs: extra.timeoutMs ?? 2000,
  ...(extra.signal ? { signal: extra.signal } : {}),
});

describe('HttpProbe', () => {
  it('is ok on 200', async () => {
    const port = await listen(httpServer(200));
    const r = await probe.check(target(port));
    expect(r).toMatchObject({ ok: true });
    expect(r.error).toBeUndefined();
    expect(r.durationMs).toBeGreaterThanOrEqual(0);
  });

  it.each([500, 503, 204, 301])('fails on status %i', async (status) => {
    const port = await listen(httpServer(status));
    expect(await probe.check(target(port))).toMatchObject({ ok: false, error: `status ${status}` });
  });

  it('fails on a 404 for a wrong path', async () => {
    const port = await listen(httpServer(200));
    expect(await probe.check(target(port, { path: '/nope' }))).toMatchObject({
      ok: false,
      error: 'status 404',
    });
  });

  it('fails when the connection is refused', async () => {
    const server = httpServer(200);
    const port = await listen(server);
    await closers.pop()!(); // now nothing listens on the port
    expect(await probe.check(target(port))).toMatchObject({ ok: false, error: 'ECONNREFUSED' });
  });

  it('fails by timeout on a grey failure: connections accepted, never answered', async () => {
    const server = createTcpServer(() => {
      /* accept and say nothing */
    });
    const port = await listen(server);
    const r = await probe.check(target(port, { timeoutMs: 100 }));
    expect(r).toMatchObject({ ok: false, error: 'timeout' });
  });

  it('fails by timeout when the handler never responds', async () => {
    const port = await listen(createServer(() => {}));
    expect(await probe.check(target(port, { timeoutMs: 100 }))).toMatchObject({
      ok: false,
      error: 'timeout',
    });
  });

  it('does not call an answer that arrived in time a timeout after the event loop stalled', async () => {
    // The handler answers, then blocks this process past the probe's timeout: the answer is in
    // the socket buffer before the timer expires, but the expired timer runs first.
    const port = await listen(
      createServer((_req, res) => {
        res.writeHead(200);
        res.end('ok\n');
        const until = Date.now() + 150;
        while (Date.now() < until) {
          /* a stalled event loop */
        }
      }),
    );
    expect(await probe.check(target(port, { timeoutMs: 50 }))).toMatchObject({ ok: true });
  });

  it('settles as failed when aborted', async () => {
    const port = await listen(createServer(() => {}));
    const ac = new AbortController();
    const pending = probe.check(target(port, { timeoutMs: 60_000, signal: ac.signal }));
    ac.abort();
    expect(await pending).toMatchObject({ ok: false, error: 'aborted' });
    const already = new AbortController();
    already.abort();
    expect(await probe.check(target(port, { signal: already.signal }))).toMatchObject({
      ok: false,
      error: 'aborted',
    });
  });

  it('opens a fresh connection per probe', async () => {
    const server = httpServer(200);
    let connections = 0;
    server.on('connection', () => connections++);
    const port = await listen(server);
    for (let i = 0; i < 3; i++) expect((await probe.check(target(port))).ok).toBe(true);
    expect(connections).toBe(3);
  });
});
