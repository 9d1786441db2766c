// `meridian probe` as a process against a real 3-node NATS cluster: ready line, observations in
// the stream, no crash when every NATS node goes away, publishing again when they return,
// exit 0 on SIGTERM; and its usage errors.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteStreams, useNatsCluster } from '../../fleet/test-support/nats-cluster.js';
import type { CliIo } from '../cli-io.js';
import { main } from '../main.js';

const cluster = useNatsCluster();
const dir = mkdtempSync(join(tmpdir(), 'meridian-probe-cli-'));
const children: ChildProcess[] = [];
let region: Server;
let worldPath: string;

beforeAll(async () => {
  region = createServer((_req, res) => res.end('ok\n'));
  await new Promise<void>((resolve) => region.listen(0, '127.0.1.1', resolve));
  const port = (region.address() as { port: number }).port;
  worldPath = join(dir, 'meridian.yaml');
  writeFileSync(
    worldPath,
    [
      'zone: example.test',
      'home: us-west-2',
      'regions:',
      `  us-west-2: { cidr: 10.10.0.0/16, address: 127.0.1.1, port: ${port} }`,
      'health: { intervalMs: 100, timeoutMs: 100 }',
      'vantages:',
      '  oregon: { cloudRegion: us-west-2 }',
      '  london: { location: { lat: 51.5, lon: -0.1 } }',
    ].join('\n'),
  );
});

afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await new Promise<void>((resolve) => region.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

/** Runs `meridian probe …` from the sources; collects stderr. */
function probe(...args: string[]): {
  proc: ChildProcess;
  stderr: () => string;
  exit: Promise<number | null>;
} {
  const proc = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '-e',
      `import('./src/cli/main.ts').then(async (m) => { process.exitCode = await m.main(process.argv.slice(1)); })`,
      '--',
      'probe',
      worldPath,
      ...args,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.push(proc);
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  proc.stdout!.resume();
  const exit = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  return { proc, stderr: () => stderr, exit };
}

async function until(pred: () => boolean | Promise<boolean>, what: string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await pred())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function streamMessages(servers: readonly string[], stream: string): Promise<number> {
  const nc = await connect({ servers: [...servers], timeout: 2000 });
  try {
    const info = await (await jetstreamManager(nc)).streams.info(stream);
    return info.state.messages;
  } catch {
    return -1;
  } finally {
    await nc.close();
  }
}

describe('meridian probe (process)', () => {
  it('publishes, survives every NATS node going away, publishes again when they return, stops on SIGTERM', async () => {
    const c = cluster();
    const p = probe(
      '--vantage',
      'oregon',
      '--nats',
      c.urls.join(','),
      '--fleet',
      'cli-e2e',
      '--progress-every',
      '0.2',
    );
    try {
      await until(
        () => p.stderr().includes('ready: publishing to meridian.cli-e2e.health.oregon.<region>'),
        'ready',
      );
      expect(p.stderr()).toContain(
        'probing 1 regions of example.test (every 100 ms) → stream meridian-cli-e2e-health',
      );
      await until(
        async () => (await streamMessages(c.urls, 'meridian-cli-e2e-health')) >= 10,
        '10 observations',
      );
      for (let i = 0; i < 3; i++) await c.kill(i);
      await until(() => p.stderr().includes('NATS disconnected'), 'the disconnection reported');
      // probing goes on with no NATS at all: its observations are counted as dropped
      await until(
        () => [...p.stderr().matchAll(/dropped (\d+); NATS not connected/g)].some((m) => Number(m[1]) >= 10),
        'ten observations dropped while NATS is away',
      );
      expect(p.proc.exitCode).toBeNull();
      await c.restart(0, 1, 2);
      const before = await streamMessages(c.urls, 'meridian-cli-e2e-health');
      await until(
        async () => (await streamMessages(c.urls, 'meridian-cli-e2e-health')) > before + 10,
        'publishing again',
        60_000,
      );
      expect(p.stderr()).toMatch(/NATS reconnected/);
      p.proc.kill('SIGTERM');
      expect(await p.exit).toBe(0);
      expect(p.stderr()).toMatch(/stopped: published \d+, failed \d+, dropped [1-9]\d*/);
    } catch (err) {
      throw new Error(`${(err as Error).message}\nmeridian probe said:\n${p.stderr()}`);
    } finally {
      p.proc.kill('SIGKILL');
      await deleteStreams(c.urls, ['meridian-cli-e2e-health']);
    }
  }, 120_000);

  it('keeps probing when no NATS server answers at start, and stops cleanly', async () => {
    const p = probe('--vantage', 'london', '--nats', 'nats://127.0.0.1:1', '--fleet', 'cli-e2e-none');
    await until(() => p.stderr().includes('NATS unreachable'), 'the unreachable line');
    expect(p.proc.exitCode).toBeNull();
    p.proc.kill('SIGINT');
    expect(await p.exit).toBe(0);
    expect(p.stderr()).toMatch(/stopped: published 0, failed 0, dropped \d+; NATS not connected/);
  });
});

describe('meridian probe usage', () => {
  async function run(...argv: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), setExitCode: () => {} };
    const code = await main(argv, io);
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  it('documents itself', async () => {
    const help = await run('probe', '--help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('--vantage <name>');
    expect(help.out).toContain('--nats <url,...>');
    expect(help.out).toContain('meridian.<fleet>.health.<vantage>.<region>');
  });

  it('refuses an undeclared vantage, a bad NATS URL and a bad fleet name with exit 2', async () => {
    const unknown = await run('probe', worldPath, '--vantage', 'tokyo', '--nats', 'nats://127.0.0.1:1');
    expect(unknown).toMatchObject({ code: 2 });
    expect(unknown.err).toContain('--vantage "tokyo" is not declared');
    expect(unknown.err).toContain('declared: oregon, london');
    const badUrl = await run('probe', worldPath, '--vantage', 'oregon', '--nats', 'http://x');
    expect(badUrl).toMatchObject({ code: 2 });
    expect(badUrl.err).toContain('is not a NATS server URL');
    const badFleet = await run(
      'probe',
      worldPath,
      '--vantage',
      'oregon',
      '--nats',
      '127.0.0.1:1',
      '--fleet',
      'a.b',
    );
    expect(badFleet).toMatchObject({ code: 2 });
    expect(badFleet.err).toContain('--fleet: fleet name "a.b"');
    expect((await run('probe', worldPath, '--nats', '127.0.0.1:1')).code).toBe(2);
  });
});
