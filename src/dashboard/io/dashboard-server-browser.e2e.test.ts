// The page as `meridian up` serves it (startDashboardServer), in Debian's chromium, fed a lab
// world: traffic lines on the map, latency beside its bound, a region-down drill on the
// timeline and in the share chart within seconds, the decision log answering the client box,
// and a drain preview that shows and changes nothing (the admin API behind is a fake that
// counts what it is asked).
import { mkdirSync, mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedSample, LocationSample } from '../dashboard-feed.js';
import { launchLoopbackChromium } from '../test-support/launch-chromium.js';
import { type DashboardServer, startDashboardServer } from './dashboard-server.js';

const shots =
  process.env.MERIDIAN_ARTEFACTS_DIR !== undefined
    ? join(process.env.MERIDIAN_ARTEFACTS_DIR, 'dashboard')
    : mkdtempSync(join(tmpdir(), 'meridian-dashboard-shots-'));

const REGIONS = [
  { name: 'us-west-2', lat: 45.87, lon: -119.69, isHome: true },
  { name: 'eu-west-2', lat: 51.51, lon: -0.13, isHome: false },
  { name: 'af-south-1', lat: -33.92, lon: 18.42, isHome: false },
];
const NETWORKS = [
  { name: 'portland', lat: 45.52, lon: -122.68 },
  { name: 'london', lat: 51.51, lon: -0.13 },
  { name: 'cape-town', lat: -33.92, lon: 18.42 },
  { name: 'sao-paulo', lat: -23.55, lon: -46.63 },
];

/** The world the fake lab shows; the test changes it as a drill would. */
const world = {
  afDown: false,
  drills: [] as { atMs: number; label: string }[],
  downAtMs: 0,
};

function locations(): LocationSample[] {
  const af = world.afDown ? 'eu-west-2' : 'af-south-1';
  return [
    { name: 'portland', rps: 20, byRegion: { 'us-west-2': 100 }, p50Ms: 23, boundMs: 20, bestBoundMs: 20 },
    { name: 'london', rps: 30, byRegion: { 'eu-west-2': 150 }, p50Ms: 13, boundMs: 11, bestBoundMs: 11 },
    {
      name: 'cape-town',
      rps: 10,
      byRegion: { [af]: 50 },
      p50Ms: world.afDown ? 172 : 14,
      boundMs: world.afDown ? 160 : 11,
      bestBoundMs: 11,
    },
    {
      name: 'sao-paulo',
      rps: 8,
      byRegion: { 'us-west-2': 25, 'eu-west-2': 15 },
      p50Ms: 190,
      boundMs: 175,
      bestBoundMs: 125,
    },
  ];
}

function sample(): FeedSample {
  return {
    atMs: Date.now(),
    zone: 'example.test',
    worldHash: 'a1b2c3d4e5f6a7b8',
    regions: REGIONS,
    networks: NETWORKS,
    hostnames: ['links.example.test'],
    health: REGIONS.map((r) => {
      const down = world.afDown && r.name === 'af-south-1';
      return {
        name: r.name,
        state: down ? 'down' : 'up',
        drained: false,
        serving: !down,
        lastChangeAtMs: down ? world.downAtMs : null,
        lastError: down ? 'connect ECONNREFUSED 127.0.3.1:8080' : null,
      };
    }),
    locations: locations(),
    rollouts: [{ hostname: 'links.example.test', text: null }],
    reloads: { ok: 0, failed: 0, lastError: null },
    drainPreview: true,
    drills: world.drills,
  };
}

/** The admin API behind the page: counts drains and previews, answers the decision log. */
function fakeAdminApi(): { server: Server; calls: { previews: number; drains: number }; url: () => string } {
  const calls = { previews: 0, drains: 0 };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'POST' && /^\/v1\/regions\/[^/]+\/drain$/.test(url.pathname)) {
      if (url.searchParams.get('preview') === '1') {
        calls.previews += 1;
        return json(200, {
          preview: true,
          region: 'eu-west-2',
          floor: { ok: true },
          changes: [
            {
              network: 'london',
              hostname: 'links.example.test',
              before: { regions: ['eu-west-2'] },
              after: { regions: ['us-west-2'] },
              extraLatencyMs: 128,
            },
          ],
          unchanged: 3,
          lastOldAnswerExpiresInSeconds: 31,
        });
      }
      calls.drains += 1;
      return json(200, { drained: true });
    }
    if (req.method === 'GET' && url.pathname === '/v1/decisions') {
      return json(200, {
        client: url.searchParams.get('client'),
        regions: ['eu-west-2'],
        locatedAs: 'network:cape-town',
        answers: [{ regions: ['eu-west-2'], count: 42, reasons: ['down:af-south-1', 'ordered-by:table'] }],
      });
    }
    return json(404, { message: `Route ${req.method}:${url.pathname} not found` });
  });
  return {
    server,
    calls,
    url: () => {
      const a = server.address();
      return `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
    },
  };
}

describe('dashboard of meridian up, in chromium', () => {
  const admin = fakeAdminApi();
  let dash: DashboardServer;
  let browser: Browser;
  let page: Page;
  let offLoopback: string[] = [];

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    await new Promise<void>((r) => admin.server.listen(0, '127.0.0.1', () => r()));
    dash = await startDashboardServer({
      host: '127.0.0.1',
      port: 0,
      upstream: admin.url,
      server: { mode: 'lab', controls: 'open' },
      sample,
      tickMs: 250,
    });
    const launched = await launchLoopbackChromium();
    browser = launched.browser;
    offLoopback = launched.offLoopback;
    page = await launched.context.newPage();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await dash?.close();
    admin.server.closeAllConnections();
    await new Promise((r) => admin.server.close(r));
    console.log(`dashboard screenshots in ${shots}`);
  });

  it('draws every region and population with traffic lines, and latency beside its bound', async () => {
    await page.goto(dash.url);
    await page.getByTestId('stream-status').filter({ hasText: 'live' }).waitFor({ timeout: 15_000 });
    for (const r of REGIONS) await page.getByTestId(`map-region-${r.name}`).waitFor({ timeout: 5_000 });
    for (const n of NETWORKS) expect(await page.getByTestId(`map-location-${n.name}`).count()).toBe(1);
    // sao-paulo is split between two regions: two lines; a wider line for more traffic
    expect(await page.locator('line.flow').count()).toBe(5);
    const width = async (id: string) =>
      Number(await page.getByTestId(`map-flow-${id}`).getAttribute('stroke-width'));
    expect(await width('london-eu-west-2')).toBeGreaterThan(await width('cape-town-af-south-1'));
    expect(await page.getByTestId('latency-sao-paulo').textContent()).toContain('125 ms');
    await expect.poll(() => page.getByTestId('share-chart').getAttribute('data-points')).not.toBe('0');
    await page.screenshot({ path: join(shots, 'lab-1-traffic.png'), fullPage: true });
  }, 60_000);

  it('shows a region-down drill on the timeline and in the share chart within seconds', async () => {
    const t0 = Date.now();
    world.drills = [...world.drills, { atMs: t0, label: 'region-down af-south-1' }];
    world.downAtMs = t0 + 300;
    world.afDown = true;
    await page.getByTestId('timeline').getByText('region-down af-south-1').waitFor({ timeout: 5_000 });
    await page.getByTestId('timeline').getByText('af-south-1 up → down').waitFor({ timeout: 5_000 });
    await expect
      .poll(
        async () => JSON.parse((await page.getByTestId('share-chart').getAttribute('data-last')) || '{}'),
        {
          timeout: 5_000,
        },
      )
      .not.toHaveProperty('af-south-1');
    expect(await page.getByTestId('matrix-cell-monitor-af-south-1').getAttribute('data-state')).toBe('down');
    expect(await page.getByTestId('matrix-cell-monitor-af-south-1').textContent()).toContain('ECONNREFUSED');
    console.log(`dashboard: region-down drill on the page ${Date.now() - t0} ms after it was made`);
    // a few more seconds of history after the drill, for the picture
    const points = Number(await page.getByTestId('share-chart').getAttribute('data-points'));
    await expect
      .poll(async () => Number(await page.getByTestId('share-chart').getAttribute('data-points')), {
        timeout: 5_000,
      })
      .toBeGreaterThan(points + 4);
    await page.screenshot({ path: join(shots, 'lab-2-region-down-drill.png'), fullPage: true });
  }, 30_000);

  it('answers the client box from the decision log when the server keeps one', async () => {
    await page.getByTestId('explain-client').fill('203.0.113.0/24');
    await page.getByTestId('explain-ask').click();
    await page.getByTestId('explain-regions').waitFor({ timeout: 5_000 });
    expect(await page.getByTestId('explain-answer').textContent()).toContain('from the decision log');
    expect(await page.getByTestId('explain-regions').textContent()).toBe('eu-west-2');
  }, 30_000);

  it('shows the drain preview and changes nothing', async () => {
    await page.getByTestId('drain-eu-west-2').click();
    const preview = page.getByTestId('drain-preview');
    await preview.waitFor({ timeout: 5_000 });
    expect(await preview.textContent()).toContain('would change 1 answer(s)');
    expect(await preview.textContent()).toContain(
      'london · links.example.test: eu-west-2 → us-west-2 (+128 ms)',
    );
    await preview.screenshot({ path: join(shots, 'lab-3-drain-preview.png') });
    await page.getByTestId('preview-cancel').click();
    await preview.waitFor({ state: 'detached', timeout: 5_000 });
    expect(admin.calls).toEqual({ previews: 1, drains: 0 });
  }, 30_000);

  it('fetched nothing beyond loopback', () => {
    expect(offLoopback).toEqual([]);
  });
});
