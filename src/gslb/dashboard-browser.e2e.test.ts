// The dashboard in a real browser: Debian's chromium driven by playwright-core against a real
// GSLB on loopback. The map draws every region and population, the matrix shows each region's
// state, a drain made through the admin API reaches the page without a reload, the explain box
// answers for a client, the page drains from its own button once given a token, and nothing is
// fetched from beyond loopback. Screenshots go to MERIDIAN_ARTEFACTS_DIR (else a temp dir).
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchLoopbackChromium } from '../dashboard/test-support/launch-chromium.js';
import { digShort, type E2e, startE2e, until } from './test-support/e2e-world.js';

const REGIONS = ['us-west-2', 'eu-west-2', 'af-south-1'];
const POPULATIONS = [
  'portland',
  'london',
  'cape-town',
  'europe-wide',
  'johannesburg',
  'london-v6',
  'cape-town-v6',
];

const shots =
  process.env.MERIDIAN_ARTEFACTS_DIR !== undefined
    ? join(process.env.MERIDIAN_ARTEFACTS_DIR, 'dashboard')
    : mkdtempSync(join(tmpdir(), 'meridian-dashboard-shots-'));

describe('dashboard in chromium', () => {
  let e: E2e;
  let browser: Browser;
  let page: Page;
  let offLoopback: string[] = [];
  const transferred = new Map<string, number>();

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    e = await startE2e();
    await until('all regions up', async () => e.gslb.monitor.table().regions.every((r) => r.serving));
    const launched = await launchLoopbackChromium();
    browser = launched.browser;
    offLoopback = launched.offLoopback;
    page = await launched.context.newPage();
    page.on('requestfinished', (req) => {
      if (req.url().endsWith('/v1/events')) return; // the stream never finishes loading
      void req.sizes().then((s) => transferred.set(req.url(), s.responseBodySize + s.responseHeadersSize));
    });
    page.on('dialog', (d) => void d.accept());
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await e?.stop();
    console.log(`dashboard screenshots in ${shots}`);
  });

  it('loads, draws every region and population on the map and each region state in the matrix', async () => {
    await page.goto(`${e.adminUrl}/dashboard/`);
    await page.getByTestId('stream-status').filter({ hasText: 'live' }).waitFor({ timeout: 15_000 });
    for (const r of REGIONS) {
      await expect.poll(() => page.getByTestId(`map-region-${r}`).count(), { timeout: 10_000 }).toBe(1);
      expect(await page.getByTestId(`matrix-cell-monitor-${r}`).getAttribute('data-state')).toBe('up');
      expect(await page.getByTestId(`region-state-${r}`).getAttribute('data-state')).toBe('up');
    }
    for (const p of POPULATIONS) expect(await page.getByTestId(`map-location-${p}`).count()).toBe(1);
    // the land is drawn (a long path), and the steering lines are there
    expect((await page.locator('path.land').getAttribute('d'))?.length ?? 0).toBeGreaterThan(1000);
    expect(await page.locator('line.flow').count()).toBe(POPULATIONS.length);
    expect(await page.getByTestId('read-only').count()).toBe(1); // meridian dns: no drain button without a token
    await page.screenshot({ path: join(shots, '1-loaded.png'), fullPage: true });
    const kb = [...transferred.values()].reduce((a, b) => a + b, 0) / 1024;
    console.log(`dashboard page weight: ${kb.toFixed(1)} KB transferred in ${transferred.size} requests`);
    expect(kb).toBeGreaterThan(10);
  }, 60_000);

  it('shows a drain made through the admin API without a reload (update latency measured)', async () => {
    const reloads: string[] = [];
    page.on('framenavigated', (f) => reloads.push(f.url()));
    const t0 = Date.now();
    const res = await fetch(`${e.adminUrl}/v1/regions/af-south-1/drain`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(200);
    await page
      .locator('[data-testid="region-state-af-south-1"][data-state="drained"]')
      .waitFor({ timeout: 10_000 });
    const latencyMs = Date.now() - t0;
    await page
      .getByTestId('timeline')
      .getByText('af-south-1 drained by the operator')
      .waitFor({ timeout: 5_000 });
    expect(await page.getByTestId('map-region-af-south-1').getAttribute('data-state')).toBe('drained');
    expect(reloads).toEqual([]);
    console.log(`dashboard update latency, drain API call to the drawn state: ${latencyMs} ms`);
    await page.screenshot({ path: join(shots, '2-drained.png'), fullPage: true });
  }, 30_000);

  it('answers "where is this client sent, and why?" for a client subnet', async () => {
    // a real answer to that subnet first: the box then shows it from the decision log
    expect(await digShort(e.port, ['links.example.test', '+subnet=203.0.113.0/24'])).toEqual(['127.0.2.1']);
    await page.getByTestId('explain-client').fill('203.0.113.0/24');
    await page.getByTestId('explain-name').selectOption('links.example.test');
    await page.getByTestId('explain-ask').click();
    const regions = page.getByTestId('explain-regions');
    await regions.waitFor({ timeout: 10_000 });
    // cape-town's subnet: af-south-1 is drained, so the latency order's next region
    expect(await regions.textContent()).toBe('eu-west-2');
    expect(await page.getByTestId('explain-answer').textContent()).toContain('located as network:cape-town');
    expect(await page.getByTestId('explain-answer').textContent()).toContain('from the decision log');
    expect(await page.getByTestId('decision-answers').textContent()).toContain('drained:af-south-1');
    await page.getByTestId('explain-answer').screenshot({ path: join(shots, '3-explain.png') });
  }, 30_000);

  it('drains (after its preview) and undrains from its own buttons once given a token', async () => {
    await page.getByTestId('token-input').fill('any-token-at-least-16-chars');
    await page.getByRole('button', { name: 'use' }).click();
    await page.getByTestId('undrain-af-south-1').click();
    await until('af-south-1 undrained', async () => !regionDrained(e, 'af-south-1'), 10_000);
    await page.getByTestId('drain-eu-west-2').waitFor({ timeout: 10_000 });
    await page.getByTestId('drain-eu-west-2').click(); // the server offers a preview: nothing drains yet
    await page.getByTestId('drain-preview').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('drain-preview').textContent()).toContain(
      'Draining eu-west-2 would change',
    );
    expect(regionDrained(e, 'eu-west-2')).toBe(false);
    await page.getByTestId('preview-drain').click();
    await until('eu-west-2 drained', async () => regionDrained(e, 'eu-west-2'), 10_000);
    await page
      .locator('[data-testid="region-state-eu-west-2"][data-state="drained"]')
      .waitFor({ timeout: 10_000 });
    await page.screenshot({ path: join(shots, '4-controls.png'), fullPage: true });
  }, 30_000);

  it('fetched nothing beyond loopback', () => {
    expect(offLoopback).toEqual([]);
  });
});

function regionDrained(e: E2e, name: string): boolean {
  return e.gslb.monitor.table().regions.find((r) => r.name === name)!.drained;
}
