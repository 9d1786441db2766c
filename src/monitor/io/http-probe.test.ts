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

describe('HttpProbe expectations', () => {
  const answering = (status: number, body: string | string[], headers: Record<string, string> = {}) =>
    createServer((req, res) => {
      res.writeHead(status, { 'x-host': req.headers.host ?? '', ...headers });
      for (const part of Array.isArray(body) ? body : [body]) res.write(part);
      res.end();
    });

  it('is ok for any status in the expected set, codes and ranges', async () => {
    for (const [status, ok] of [
      [200, true],
      [204, true],
      [301, true],
      [399, true],
      [400, false],
      [500, false],
    ] as const) {
      const port = await listen(answering(status, ''));
      const r = await probe.check({
        ...target(port),
        expectStatus: [
          [200, 200],
          [204, 204],
          [300, 399],
        ],
      });
      expect(r, String(status)).toMatchObject(ok ? { ok: true } : { ok: false, error: `status ${status}` });
    }
  });

  it('matches the body by substring or regex, and says what it missed', async () => {
    const port = await listen(answering(200, ['{"status":', '"ok","region":"eu-west-2"}']));
    expect(await probe.check({ ...target(port), body: { contains: '"status":"ok"' } })).toMatchObject({
      ok: true,
    });
    expect(await probe.check({ ...target(port), body: { regex: '"region":"eu-[a-z]+-\\d"' } })).toMatchObject(
      {
        ok: true,
      },
    );
    expect(await probe.check({ ...target(port), body: { contains: 'draining' } })).toMatchObject({
      ok: false,
      error: 'body does not contain "draining"',
    });
    expect(await probe.check({ ...target(port), body: { regex: '^ok$' } })).toMatchObject({
      ok: false,
      error: 'body does not match /^ok$/',
    });
  });

  it('checks the status before the body', async () => {
    const port = await listen(answering(503, 'ok'));
    expect(await probe.check({ ...target(port), body: { contains: 'ok' } })).toMatchObject({
      ok: false,
      error: 'status 503',
    });
  });

  it('reads at most the first 64 KiB of a body, so an endless body is judged on its start', async () => {
    const port = await listen(
      createServer((_req, res) => {
        res.writeHead(200);
        res.write(`ok${'x'.repeat(70 * 1024)}END`); // then never ends
      }),
    );
    expect(await probe.check({ ...target(port), body: { contains: 'ok' } })).toMatchObject({ ok: true });
    expect(await probe.check({ ...target(port), body: { regex: 'END' }, timeoutMs: 300 })).toMatchObject({
      ok: false,
      error: 'body does not match /END/',
    });
  });

  it('times out on a body that does not arrive', async () => {
    const port = await listen(
      createServer((_req, res) => {
        res.writeHead(200);
        res.flushHeaders();
      }),
    );
    expect(await probe.check({ ...target(port), body: { contains: 'ok' }, timeoutMs: 100 })).toMatchObject({
      ok: false,
      error: 'timeout',
    });
    // without a body match the head is enough
    expect(await probe.check(target(port, { timeoutMs: 1000 }))).toMatchObject({ ok: true });
  });

  it('sends the Host header asked for', async () => {
    let host: string | undefined;
    const port = await listen(
      createServer((req, res) => {
        host = req.headers.host;
        res.end();
      }),
    );
    expect(await probe.check({ ...target(port), host: 'links.example.test' })).toMatchObject({ ok: true });
    expect(host).toBe('links.example.test');
  });

  it('probes from the source address asked for', async () => {
    let from: string | undefined;
    const port = await listen(
      createServer((req, res) => {
        from = req.socket.remoteAddress;
        res.end();
      }),
    );
    expect(await probe.check({ ...target(port), sourceAddress: '127.0.0.77' })).toMatchObject({ ok: true });
    expect(from).toBe('127.0.0.77');
  });
});
