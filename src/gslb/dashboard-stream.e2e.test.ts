// The dashboard on `meridian dns`'s admin port: the page's files, the event stream (snapshot,
// then ticks carrying a drain made through the API), the token on the stream but not on the
// files, the cap on streams, and streams ended when the server stops.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SseParser } from '../dashboard/index.js';
import { DEFAULT_MAX_EVENT_CLIENTS } from '../dashboard/io/index.js';
import { destroyRawClients, sendRequest } from '../http/test-support/raw-http-client.js';
import { type E2e, startE2e, until } from './test-support/e2e-world.js';

const TOKEN = 'dashboard-test-token-0123456789';

/** Reads a stream's events as they come; `close()` aborts it. */
function openStream(url: string, headers: Record<string, string> = {}) {
  const events: { event: string; data: unknown }[] = [];
  const controller = new AbortController();
  let ended = false;
  const ready = fetch(url, { headers, signal: controller.signal }).then((res) => {
    if (res.status === 200 && res.body) {
      void (async () => {
        const parser = new SseParser();
        const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
        try {
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            for (const e of parser.push(value)) events.push({ event: e.event, data: JSON.parse(e.data) });
          }
        } catch {
          // aborted
        }
        ended = true;
      })();
    }
    return res;
  });
  return { ready, events, ended: () => ended, close: () => controller.abort() };
}

describe('dashboard on the GSLB admin API (no token, loopback)', () => {
  let e: E2e;
  beforeAll(async () => {
    e = await startE2e();
    await until('all regions up', async () => e.gslb.monitor.table().regions.every((r) => r.serving));
  });
  afterAll(() => e?.stop());

  it('serves the built page with its assets and a strict content security policy', async () => {
    const res = await fetch(`${e.adminUrl}/dashboard/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    const html = await res.text();
    const script = /src="\.\/(assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const js = await fetch(`${e.adminUrl}/dashboard/${script}`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toContain('javascript');
    expect((await fetch(`${e.adminUrl}/dashboard/../package.json`)).status).toBe(404);
  });

  it('streams a snapshot, then a drain made through the API arrives as a tick', async () => {
    const s = openStream(`${e.adminUrl}/v1/events`);
    expect((await s.ready).headers.get('content-type')).toContain('text/event-stream');
    await until('a snapshot', async () => s.events.length > 0);
    const first = s.events[0]!;
    expect(first.event).toBe('snapshot');
    const snap = first.data as { regions: { name: string; state: string }[]; locations: unknown[] };
    expect(snap.regions.map((r) => `${r.name}=${r.state}`)).toEqual([
      'us-west-2=up',
      'eu-west-2=up',
      'af-south-1=up',
    ]);
    expect(snap.locations.length).toBe(7);
    const res = await fetch(`${e.adminUrl}/v1/regions/af-south-1/drain`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(200);
    await until('a tick with the drain', async () =>
      s.events.some(
        (x) =>
          x.event === 'tick' &&
          (x.data as { markers: { kind: string; label: string }[] }).markers.some(
            (m) => m.kind === 'drain' && m.label.startsWith('af-south-1'),
          ),
      ),
    );
    s.close();
    await fetch(`${e.adminUrl}/v1/regions/af-south-1/undrain`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
  });

  it('refuses a stream from another origin (the admin guard)', async () => {
    const res = await fetch(`${e.adminUrl}/v1/events`, { headers: { origin: 'http://evil.example' } });
    expect(res.status).toBe(403);
  });

  it(`refuses stream ${DEFAULT_MAX_EVENT_CLIENTS + 1} with 503 and takes one again once another closes`, async () => {
    const streams = Array.from({ length: DEFAULT_MAX_EVENT_CLIENTS }, () =>
      openStream(`${e.adminUrl}/v1/events`),
    );
    for (const s of streams) expect((await s.ready).status).toBe(200);
    const extra = await fetch(`${e.adminUrl}/v1/events`);
    expect(extra.status).toBe(503);
    expect(((await extra.json()) as { code: string }).code).toBe('too-many-streams');
    streams[0]!.close();
    await until('room again', async () => {
      const s = openStream(`${e.adminUrl}/v1/events`);
      const ok = (await s.ready).status === 200;
      s.close();
      return ok;
    });
    for (const s of streams) s.close();
  });
});

describe('dashboard on a GSLB with an admin token', () => {
  let e: E2e;
  beforeAll(async () => {
    e = await startE2e({ adminToken: TOKEN });
  });
  afterAll(async () => {
    destroyRawClients();
    await e?.stop();
  });

  it('serves the page without the token but the stream only with it', async () => {
    expect((await fetch(`${e.adminUrl}/dashboard/`)).status).toBe(200);
    expect((await fetch(`${e.adminUrl}/v1/events`)).status).toBe(401);
    const rebound = await sendRequest(e.gslb.adminPort, 'GET', '/dashboard/', { host: 'evil.example' });
    expect(rebound.status).toBe(403);
    const s = openStream(`${e.adminUrl}/v1/events`, { authorization: `Bearer ${TOKEN}` });
    expect((await s.ready).status).toBe(200);
    await until('a snapshot', async () => s.events.length > 0);
    const snap = s.events[0]!.data as { server: { controls: string; mode: string } };
    expect(snap.server).toMatchObject({ mode: 'dns', controls: 'token' });
    s.close();
  });

  it('ends every stream when the server stops', async () => {
    const s = openStream(`${e.adminUrl}/v1/events`, { authorization: `Bearer ${TOKEN}` });
    expect((await s.ready).status).toBe(200);
    await e.gslb.stop();
    await until('the stream ended', async () => s.ended());
  });
});
