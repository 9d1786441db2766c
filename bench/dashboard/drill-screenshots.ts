// The dashboard of a real `meridian up` (examples/world.yaml, region ports moved to 28381 so it
// does not meet another lab) through a region-down drill, in Debian's chromium: screenshots
// before and during the drill, and the time from the drill to its marker on the page.
// Needs `npm run build`. Usage: tsx bench/dashboard/drill-screenshots.ts [OUT_DIR]
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { launchLoopbackChromium } from '../../src/dashboard/test-support/launch-chromium.js';
import { isolatedLabOptions, parseDrillCommand, startMeridianUp } from '../../src/lab/index.js';

const out = resolve(process.argv[2] ?? 'meridian-reports/dashboard');
mkdirSync(out, { recursive: true });
const dir = mkdtempSync(join(tmpdir(), 'meridian-dashboard-up-'));
const worldFile = join(dir, 'world.yaml');
writeFileSync(
  worldFile,
  readFileSync('examples/world.yaml', 'utf8').replace(
    /address: (127\.0\.\d+\.1) \}/g,
    'address: $1, port: 28381 }',
  ),
);
const up = await startMeridianUp({
  worldFile,
  ...isolatedLabOptions(dir),
  watch: false,
  warmTimeoutMs: 120_000,
});
const { browser, context, offLoopback } = await launchLoopbackChromium({ width: 1400, height: 1500 });
try {
  console.log(`dashboard ${up.dashboardUrl()}`);
  const page = await context.newPage();
  await page.goto(up.dashboardUrl()!);
  await page.getByTestId('stream-status').filter({ hasText: 'live' }).waitFor({ timeout: 15_000 });
  await page.waitForTimeout(20_000); // a picture of the steady state needs some history
  await page.screenshot({ path: join(out, 'up-1-steady.png'), fullPage: true });
  const region = 'eu-west-2';
  const t0 = Date.now();
  await up.lab.drill(parseDrillCommand(['region-down', region, '--for', '20s']));
  await page.getByTestId('timeline').getByText(`region-down ${region}`).first().waitFor({ timeout: 10_000 });
  const markerMs = Date.now() - t0;
  await page
    .locator(`[data-testid="matrix-cell-monitor-${region}"][data-state="down"]`)
    .waitFor({ timeout: 20_000 });
  const downMs = Date.now() - t0;
  await page.waitForTimeout(12_000);
  await page.screenshot({ path: join(out, 'up-2-region-down.png'), fullPage: true });
  await page.waitForTimeout(20_000); // back up
  await page.screenshot({ path: join(out, 'up-3-recovered.png'), fullPage: true });
  console.log(
    JSON.stringify({ drillToMarkerMs: markerMs, drillToDownInMatrixMs: downMs, offLoopback, out }, null, 2),
  );
} finally {
  await browser.close();
  await up.stop();
  rmSync(dir, { recursive: true, force: true });
}
