// Runs the README's examples as plain Node scripts against the built package.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const readme = readFileSync(new URL('./README.md', import.meta.url), 'utf8');
const examples = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1] as string);
// Inside the package so that `meridian/health` resolves to this package's own exports.
const dir = mkdtempSync(join(root, '.readme-health-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function write(i: number): string {
  if (!existsSync(join(root, 'dist/health/index.js')))
    throw new Error('dist/ is missing: run `npm run build` first');
  const file = join(dir, `example-${i}.mjs`);
  writeFileSync(file, examples[i] as string);
  return file;
}

async function until<T>(what: string, fn: () => Promise<T | undefined>, deadlineMs = 15_000): Promise<T> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('health README', () => {
  it('example 1: serves /healthz, drains on SIGTERM, then exits', { timeout: 40_000 }, async () => {
    const child = spawn(process.execPath, [write(0)], {
      env: { ...process.env, GRACE_MS: '4000' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    let out = '';
    child.stdout?.on('data', (d) => {
      out += String(d);
    });
    const address = await until('the address', async () => out.match(/http:\/\/127\.0\.0\.1:\d+/)?.[0]);
    const ok = await fetch(`${address}/healthz`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({
      ok: true,
      checks: [
        { name: 'config-warm', ok: true },
        { name: 'outbox-backlog', critical: false, detail: '0 rows' },
      ],
    });

    child.kill('SIGTERM');
    const red = await until('a 503', async () => {
      const res = await fetch(`${address}/healthz`);
      return res.status === 503 ? res.json() : undefined;
    });
    expect(red).toMatchObject({ ok: false, draining: true });
    expect((await fetch(`${address}/livez`)).status).toBe(200);
    expect((await fetch(`${address}/`)).status).toBe(200);
    expect(await exited).toBe(0);
  });

  it('example 2: the pure verdict', () => {
    execFileSync(process.execPath, [write(1)], { encoding: 'utf8', timeout: 20_000 });
  });
});
