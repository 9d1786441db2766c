// Test support: waiting with a deadline instead of sleeping, for the lab's I/O tests.
import { existsSync } from 'node:fs';
import { MERIDIAN_BIN } from '../meridian-up.js';

/** Polls `check` every `everyMs` until it returns something other than undefined; returns it. */
export async function until<T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
  ms: number,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Polls a synchronous condition every `everyMs` (default 5) until it holds. */
export async function untilTrue(cond: () => boolean, what: string, ms: number, everyMs = 5): Promise<void> {
  await until(what, () => (cond() ? true : undefined), ms, everyMs);
}

/** Whether `dist/` is built: the tests that run the real programs need it. */
export const LAB_PROGRAMS_BUILT = existsSync(MERIDIAN_BIN.replace(/bin\/meridian\.js$/, 'dist/cli/main.js'));
