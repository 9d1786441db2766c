import { createServer, type Server } from 'node:https';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizePin } from '../../world/index.js';
import type { ProbeTarget } from '../probe.js';
import { type SelfSignedCert, selfSignedCert } from '../test-support/self-signed-cert.js';
import { HttpProbe } from './http-probe.js';

// A real HTTPS server on loopback with a self-signed certificate for region.example.test.
let cert: SelfSignedCert;
let other: SelfSignedCert;
let server: Server;
let port: number;
const seen: { servername: string | false | null | undefined; host: string | undefined }[] = [];

beforeAll(async () => {
  cert = selfSignedCert('region.example.test');
  other = selfSignedCert('other.example.test');
  const sockets = new Set<Socket>();
  server = createServer({ cert: cert.certPem, key: cert.keyPem }, (req, res) => {
    seen.push({ servername: (req.socket as TLSSocket).servername, host: req.headers.host });
    res.writeHead(req.url === '/healthz' ? 200 : 404);
    res.end('ok\n');
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
  server.on('close', () => {
    for (const s of sockets) s.destroy();
  });
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  cert.remove();
  other.remove();
});

const probe = new HttpProbe();
const target = (extra: Partial<ProbeTarget>): ProbeTarget => ({
  address: '127.0.0.1',
  port,
  path: '/healthz',
  timeoutMs: 5000,
  type: 'https',
  ...extra,
});

describe('HttpProbe over HTTPS', () => {
  it('is ok when the CA file vouches for the certificate of the SNI name', async () => {
    seen.length = 0;
    const r = await probe.check(target({ caFile: cert.certFile, sni: 'region.example.test' }));
    expect(r).toMatchObject({ ok: true });
    expect(seen[0]?.servername).toBe('region.example.test');
  });

  it('sends the Host header, and takes the SNI name from it by default', async () => {
    seen.length = 0;
    const r = await probe.check(target({ caFile: cert.certFile, host: 'region.example.test:8443' }));
    expect(r).toMatchObject({ ok: true });
    expect(seen[0]).toEqual({ servername: 'region.example.test', host: 'region.example.test:8443' });
  });

  it('fails when no CA vouches for the certificate', async () => {
    const r = await probe.check(target({ sni: 'region.example.test' }));
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY/);
    const wrongCa = await probe.check(target({ caFile: other.certFile, sni: 'region.example.test' }));
    expect(wrongCa.ok).toBe(false);
  });

  it('fails when the certificate is not for the SNI name', async () => {
    const r = await probe.check(target({ caFile: cert.certFile, sni: 'elsewhere.example.test' }));
    expect(r).toMatchObject({ ok: false, error: 'ERR_TLS_CERT_ALTNAME_INVALID' });
  });

  it('trusts a pinned certificate without a CA, and nothing else', async () => {
    expect(await probe.check(target({ pinSha256: cert.sha256 }))).toMatchObject({ ok: true });
    // the form openssl prints works once normalised the way the world file does it
    expect(await probe.check(target({ pinSha256: normalizePin(cert.fingerprint) }))).toMatchObject({
      ok: true,
    });
    const wrong = await probe.check(target({ pinSha256: other.sha256 }));
    expect(wrong.ok).toBe(false);
    expect(wrong.error).toContain('is not the pinned');
  });

  it('checks both the CA and the pin when both are given', async () => {
    expect(
      await probe.check(
        target({ caFile: cert.certFile, sni: 'region.example.test', pinSha256: cert.sha256 }),
      ),
    ).toMatchObject({ ok: true });
    const wrongPin = await probe.check(
      target({ caFile: cert.certFile, sni: 'region.example.test', pinSha256: other.sha256 }),
    );
    expect(wrongPin.ok).toBe(false);
  });

  it('fails with a clear reason when the CA file cannot be read', async () => {
    const r = await probe.check(target({ caFile: '/nonexistent/ca.pem' }));
    expect(r).toMatchObject({ ok: false, error: 'caFile /nonexistent/ca.pem unreadable: ENOENT' });
  });

  it('fails on plain HTTP against the TLS port', async () => {
    const r = await probe.check(target({ type: 'http', timeoutMs: 2000 }));
    expect(r.ok).toBe(false);
  });
});
