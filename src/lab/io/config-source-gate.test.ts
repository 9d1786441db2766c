import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigSourceGate } from './config-source-gate.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function fakeHome(): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => res.end(`${req.method} ${req.url} ${Buffer.concat(chunks).toString()}`));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const a = server.address();
  return { server, port: typeof a === 'object' && a ? a.port : 0 };
}

describe('ConfigSourceGate', () => {
  it('passes requests through, breaks /config/* and the escrow on demand, and heals both', async () => {
    const home = await fakeHome();
    cleanups.push(() => new Promise<void>((r) => home.server.close(() => r())));
    const dir = mkdtempSync(join(tmpdir(), 'meridian-gate-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const escrow = join(dir, 'escrow');
    mkdirSync(join(escrow, 'config'), { recursive: true });
    writeFileSync(join(escrow, 'config', 'latest'), 'v1');
    const gate = new ConfigSourceGate({
      listenHost: '127.0.0.1',
      target: () => ({ host: '127.0.0.1', port: home.port }),
      escrowDir: escrow,
    });
    await gate.start();
    cleanups.push(() => gate.stop());
    const url = `http://127.0.0.1:${gate.port}`;
    const post = await fetch(`${url}/v1/ingest`, { method: 'POST', body: 'batch' });
    expect(await post.text()).toBe('POST /v1/ingest batch');
    expect(await (await fetch(`${url}/config/config`)).text()).toBe('GET /config/config ');

    await gate.setMode('unavailable');
    expect((await fetch(`${url}/config/config`)).status).toBe(503);
    expect(existsSync(escrow)).toBe(false);
    expect(await (await fetch(`${url}/v1/stats`)).text()).toBe('GET /v1/stats ');

    await gate.setMode('corrupt');
    expect(existsSync(escrow)).toBe(true);
    const corrupt = await fetch(`${url}/config/config`);
    expect(corrupt.status).toBe(200);
    expect(await corrupt.text()).toMatch(/corrupt/);
    expect(readFileSync(join(escrow, 'config', 'latest'), 'utf8')).toMatch(/corrupt/);

    await gate.setMode('ok');
    expect(readFileSync(join(escrow, 'config', 'latest'), 'utf8')).toBe('v1');
    expect(await (await fetch(`${url}/config/config`)).text()).toBe('GET /config/config ');
  });
});
