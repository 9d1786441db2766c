import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HealthCheckProbe } from './health-check-probe.js';
import { TcpProbe } from './tcp-probe.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function listen(
  onConnection: (s: Socket) => void = () => {},
): Promise<{ port: number; server: Server }> {
  const sockets = new Set<Socket>();
  const server = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    onConnection(s);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { port: (server.address() as { port: number }).port, server };
}

const target = (port: number, extra = {}) => ({
  address: '127.0.0.1',
  port,
  path: '/',
  timeoutMs: 2000,
  type: 'tcp' as const,
  ...extra,
});

describe('TcpProbe', () => {
  it('is ok when something accepts the connection, and sends nothing', async () => {
    const received: Buffer[] = [];
    const { port } = await listen((s) => s.on('data', (d) => received.push(d)));
    expect(await new TcpProbe().check(target(port))).toMatchObject({ ok: true });
    expect(received).toEqual([]);
  });

  it('fails with the code when the connection is refused', async () => {
    const { port } = await listen();
    await closers.pop()!();
    expect(await new TcpProbe().check(target(port))).toMatchObject({ ok: false, error: 'ECONNREFUSED' });
  });

  it('connects from the source address asked for', async () => {
    let from: string | undefined;
    const { port } = await listen((s) => {
      from = s.remoteAddress;
    });
    expect(await new TcpProbe().check(target(port, { sourceAddress: '127.0.0.78' }))).toMatchObject({
      ok: true,
    });
    expect(from).toBe('127.0.0.78');
  });

  it('settles as failed when aborted', async () => {
    const { port } = await listen();
    const ac = new AbortController();
    ac.abort();
    expect(await new TcpProbe().check(target(port, { signal: ac.signal }))).toMatchObject({
      ok: false,
      error: 'aborted',
    });
  });
});

describe('HealthCheckProbe', () => {
  it('runs a tcp target as a connect and an http target as a GET', async () => {
    // a listener that accepts and closes without a word: up for tcp, down for http
    const { port } = await listen((s) => s.end());
    const probe = new HealthCheckProbe();
    expect(await probe.check(target(port))).toMatchObject({ ok: true });
    const http = await probe.check({ ...target(port), type: 'http' });
    expect(http.ok).toBe(false);
  });
});
