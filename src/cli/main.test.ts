import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CliIo } from './cli-io.js';
import { main } from './main.js';

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), setExitCode: () => {} };
  const code = await main(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function tempWorld(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'meridian-cli-'));
  const file = join(dir, 'meridian.yaml');
  writeFileSync(file, text);
  return file;
}

describe('meridian CLI', () => {
  it('prints help, command help and the version with exit 0', async () => {
    expect(await run('--help')).toMatchObject({ code: 0, out: expect.stringContaining('lint') });
    expect(await run('help', 'lint')).toMatchObject({ code: 0, out: expect.stringContaining('--strict') });
    expect(await run('--version')).toMatchObject({ code: 0, out: expect.stringMatching(/^\d+\.\d+\.\d+$/) });
  });

  it('stops quietly when its reader goes away (| head)', () => {
    // 3000 bad regions print far more than a pipe buffer holds, so writes fail with EPIPE.
    const regions = Array.from({ length: 3000 }, (_, i) => `  r${i}: { cidr: bad, address: 127.0.0.1 }`).join(
      '\n',
    );
    const file = tempWorld(`zone: example.test\nhome: r0\nregions:\n${regions}\n`);
    const bin = fileURLToPath(new URL('../../bin/meridian.js', import.meta.url));
    const result = spawnSync('sh', ['-c', `"${process.execPath}" "${bin}" lint "${file}" | head -c 1`], {
      encoding: 'utf8',
    });
    expect(result.stdout).toBe('/');
    expect(result.stderr).not.toMatch(/EPIPE|Error|at /);
  });

  it('exits 2 on usage errors and unreadable files, with one clear line', async () => {
    expect((await run('lint', '--bogus')).code).toBe(2);
    expect((await run('frobnicate')).code).toBe(2);
    const missing = await run('lint', '/nonexistent/meridian.yaml');
    expect(missing.code).toBe(2);
    expect(missing.err).toBe('meridian: cannot read world file /nonexistent/meridian.yaml: no such file');
  });

  it('refuses a FIFO, /dev/zero and an oversized file with exit 2 and one line, never hanging', () => {
    const dir = mkdtempSync(join(tmpdir(), 'meridian-cli-special-'));
    const fifo = join(dir, 'meridian.yaml');
    execFileSync('mkfifo', [fifo]);
    const bin = fileURLToPath(new URL('../../bin/meridian.js', import.meta.url));
    // a deadline, so that a hang fails the test instead of stalling it
    const lint = (file: string, env: Record<string, string> = {}) =>
      spawnSync(process.execPath, [bin, 'lint', file], {
        encoding: 'utf8',
        timeout: 20_000,
        env: { ...process.env, ...env },
      });
    const onFifo = lint(fifo);
    expect(onFifo.signal).toBeNull();
    expect(onFifo.status).toBe(2);
    expect(onFifo.stderr).toBe(
      `meridian: world file ${fifo} is not a regular file (a FIFO); give the path of a YAML file\n`,
    );
    const onZero = lint('/dev/zero');
    expect(onZero.signal).toBeNull();
    expect(onZero.status).toBe(2);
    expect(onZero.stderr).toMatch(
      /^meridian: world file \/dev\/zero is not a regular file \(a character device\)/,
    );
    const big = lint('examples/minimal.yaml', { MERIDIAN_WORLD_MAX_BYTES: '100' });
    expect(big.status).toBe(2);
    expect(big.stderr).toMatch(
      /^meridian: world file examples\/minimal\.yaml is \d+ bytes, more than the limit of 100 bytes/,
    );
  });

  it('lints: 0 when valid, 1 with file:line:column diagnostics when not', async () => {
    expect(await run('lint', 'examples/minimal.yaml')).toMatchObject({
      code: 0,
      err: 'examples/minimal.yaml: ok',
    });
    const file = tempWorld(
      'zone: example.test\nhome: nowhere\nregions:\n  eu-west-2: { cidr: 10.0.0.0/16, address: 127.0.2.1 }\n',
    );
    const bad = await run('lint', file);
    expect(bad.code).toBe(1);
    expect(bad.out).toBe(
      `${file}:2:7: error home-not-a-region home: home "nowhere" is not one of the declared regions (eu-west-2); declare it under regions or pick one of them`,
    );
  });

  it('prints JSON diagnostics and fails on warnings only with --strict', async () => {
    const file = tempWorld(
      'zone: example.test\nhome: eu-west-2\nregions:\n  eu-west-2: { cidr: 10.0.0.0/16, address: 127.0.2.1 }\nhostnames:\n  links: { workload: links }\nservices:\n  links: { in: all }\n',
    );
    const relaxed = await run('lint', file, '--json');
    expect(relaxed.code).toBe(0);
    expect(JSON.parse(relaxed.out)).toEqual([
      {
        code: 'hostname-single-region',
        severity: 'warning',
        path: 'hostnames.links.policy',
        line: 6,
        column: 10,
        message: expect.stringContaining('at least two regions'),
      },
    ]);
    expect((await run('lint', file, '--strict')).code).toBe(1);
  });
});
