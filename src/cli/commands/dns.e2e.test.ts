// `meridian dns` as a process: starts, answers, reloads on SIGHUP, exits 0 on SIGTERM.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { digShort, until } from '../../gslb/test-support/e2e-world.js';

const dir = mkdtempSync(join(tmpdir(), 'meridian-dns-cli-'));
const world = (policy: string) => `zone: example.test
home: us-west-2
regions:
  us-west-2: { cidr: 10.10.0.0/16, address: 127.0.1.1, port: 1 }
  eu-west-2: { cidr: 10.20.0.0/16, address: 127.0.2.1, port: 1 }
hostnames:
  links: { workload: links, policy: ${policy}, whenAllDown: all, answers: 2 }
services:
  links: { in: all }
`;
let child: ChildProcess | null = null;

afterAll(() => {
  child?.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('meridian dns (process)', () => {
  it('serves, reloads on SIGHUP (validate, then swap), and stops cleanly on SIGTERM', async () => {
    const path = join(dir, 'meridian.yaml');
    writeFileSync(path, world('latency'));
    const proc = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        `import('./src/cli/main.ts').then(async (m) => { process.exitCode = await m.main(process.argv.slice(1)); })`,
        '--',
        'dns',
        path,
        '--listen',
        '127.0.0.1:0',
        '--admin',
        '127.0.0.1:0',
        '--no-watch',
        '--log-level',
        'warn',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = proc;
    let stderr = '';
    let logs = '';
    proc.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    proc.stdout!.on('data', (d: Buffer) => {
      logs += d.toString();
    });
    let port = 0;
    await until(
      'the server to say where it listens',
      async () => {
        port = Number(/serving example\.test on 127\.0\.0\.1:(\d+)/.exec(stderr)?.[1] ?? 0);
        return port > 0;
      },
      20_000,
    );
    // nothing answers health (port 1): whenAllDown all, nearest first for an unknown client (home)
    expect(await digShort(port, ['links.example.test'])).toEqual(['127.0.1.1', '127.0.2.1']);
    writeFileSync(path, world('latency').replace('home: us-west-2', 'home: eu-west-2'));
    proc.kill('SIGHUP');
    await until(
      'the reloaded world answers',
      async () => (await digShort(port, ['links.example.test']))[0] === '127.0.2.1',
    );
    writeFileSync(path, 'zone: [broken');
    proc.kill('SIGHUP');
    await until('the failed reload is logged', async () => logs.includes('meridian:gslb:reload-failed'));
    expect((await digShort(port, ['links.example.test']))[0]).toBe('127.0.2.1');
    const exit = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
    proc.kill('SIGTERM');
    expect(await exit).toBe(0);
    child = null;
  });
});
