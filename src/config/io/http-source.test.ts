import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { httpSource } from './http-source.js';

describe('httpSource beyond the contract', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });

  async function serve(status: number, body: Buffer): Promise<string> {
    server = createServer((_req, res) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body);
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/config/x`;
  }

  const request = {
    cursor: undefined,
    currentVersion: 0,
    maxBytes: 16 * 1024 * 1024,
    signal: new AbortController().signal,
  };

  it.each([
    [500, 'failed'],
    [503, 'failed'],
    [404, 'empty'],
  ] as const)('HTTP %i is %s, not thrown', async (status, kind) => {
    const source = httpSource({ url: await serve(status, Buffer.from('{}')) });
    expect((await source.fetch(request)).kind).toBe(kind);
    await source.close?.();
  });

  it('stops reading a body over maxBytes and reports it as too large, with its ETag', async () => {
    const source = httpSource({ url: await serve(200, Buffer.alloc(200_000, 65)), maxBytes: 50_000 });
    const r = await source.fetch(request);
    expect(r).toMatchObject({ kind: 'too-large', detail: expect.stringMatching(/over 50000 bytes/) });
    await source.close?.();
  });

  it("refuses a body whose Content-Length is over the cache's maxBytes before reading it", async () => {
    let sent = 0;
    server = createServer((_req, res) => {
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-length': 100_000_000,
        etag: '"big"',
      });
      // Only a first chunk is ever sent: a source that reads on waits forever.
      res.write(Buffer.alloc(1024, 65));
      sent += 1024;
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/config/x`;
    const source = httpSource({ url });
    const r = await source.fetch({ ...request, maxBytes: 50_000 });
    expect(r).toMatchObject({ kind: 'too-large', size: 100_000_000, cursor: '"big"' });
    expect(sent).toBe(1024);
    await source.close?.();
    server.closeAllConnections();
  });
});
