// Runs the README's examples as plain Node scripts against the built package.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { sendRequest } from './test-support/raw-http-client.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const readme = readFileSync(new URL('./README.md', import.meta.url), 'utf8');
const examples = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1] as string);
// Inside the package so that `meridian/http` resolves to this package's own exports.
const dir = mkdtempSync(join(root, '.readme-http-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function write(i: number): string {
  if (!existsSync(join(root, 'dist/http/index.js')))
    throw new Error('dist/ is missing: run `npm run build` first');
  const file = join(dir, `example-${i}.mjs`);
  writeFileSync(file, examples[i] as string);
  return file;
}

describe('http README', () => {
  it('example 1: a guarded admin API refuses what a web page could send it', async () => {
    const token = 'readme-example-token-0123456789';
    const child = spawn(process.execPath, [write(0)], {
      env: { ...process.env, ADMIN_TOKEN: token },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    let out = '';
    child.stdout?.on('data', (d) => {
      out += String(d);
    });
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout?.on('data', () => {
        const m = /http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      child.once('exit', (code) => reject(new Error(`example exited with ${code}`)));
    });
    const auth = { authorization: `Bearer ${token}` };
    const json = { ...auth, 'content-type': 'application/json' };
    expect(
      (await sendRequest(port, 'POST', '/drain', { ...json, origin: 'http://attacker.example' }, '{}'))
        .status,
    ).toBe(403);
    expect(
      (await sendRequest(port, 'GET', '/state', { ...auth, host: `attacker.example:${port}` })).status,
    ).toBe(403);
    expect(
      (await sendRequest(port, 'POST', '/drain', { ...auth, 'content-type': 'text/plain' }, '{}')).status,
    ).toBe(415);
    expect(
      (await sendRequest(port, 'POST', '/drain', { 'content-type': 'application/json' }, '{}')).status,
    ).toBe(401);
    expect((await sendRequest(port, 'GET', '/state', auth)).json()).toEqual({ drained: false });
    expect((await sendRequest(port, 'POST', '/drain', json, '{}')).json()).toEqual({ drained: true });
    child.kill('SIGTERM');
  });

  it('example 1 refuses a short token at start', () => {
    let err: { status?: number; stderr?: string } | undefined;
    try {
      execFileSync(process.execPath, [write(0)], {
        env: { ...process.env, ADMIN_TOKEN: 'short' },
        encoding: 'utf8',
        stdio: 'pipe',
        timeout: 20_000,
      });
    } catch (x) {
      err = x as typeof err;
    }
    expect(err?.status).toBe(1);
    expect(err?.stderr).toMatch(
      /MERIDIAN_HTTP_ADMIN_TOKEN_INVALID|ADMIN_TOKEN: the admin token is 5 characters long/,
    );
  });

  it('example 2: the checks alone', () => {
    execFileSync(process.execPath, [write(1)], { encoding: 'utf8', timeout: 20_000 });
  });
});
