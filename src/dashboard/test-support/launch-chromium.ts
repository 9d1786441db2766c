// Debian's chromium under playwright-core for the dashboard's browser tests, with no network
// beyond loopback. Missing chromium is a failure with the install command, never a skip.
import { existsSync } from 'node:fs';
import { type Browser, type BrowserContext, chromium } from 'playwright-core';

export const CHROMIUM = process.env.MERIDIAN_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface LoopbackBrowser {
  readonly browser: Browser;
  readonly context: BrowserContext;
  /** Every request the page tried beyond loopback (each was aborted). */
  readonly offLoopback: string[];
}

/** Launches chromium; every request to a host other than 127.0.0.1/localhost is aborted and listed. */
export async function launchLoopbackChromium(
  viewport = { width: 1400, height: 1300 },
): Promise<LoopbackBrowser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: the browser tests need Debian's chromium (apt-get install -y chromium), or MERIDIAN_CHROMIUM=/path/to/chromium`,
    );
  }
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  const context = await browser.newContext({ viewport, serviceWorkers: 'block' });
  const offLoopback: string[] = [];
  await context.route('**/*', (route) => {
    const host = new URL(route.request().url()).hostname;
    if (host === '127.0.0.1' || host === 'localhost') return route.continue();
    offLoopback.push(route.request().url());
    return route.abort();
  });
  return { browser, context, offLoopback };
}
