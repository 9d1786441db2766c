// Every long-running program exports prom-client's default process and Node metrics on its
// /metrics, and `home` and `region` log structured JSON lines (pino) on stdout as `dns` does. Each
// runs as a real process from source; its ready message (IPC, as `meridian up` reads it) says
// where it listens.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { until } from '../../gslb/test-support/e2e-world.js';

const dir = mkdtempSync(join(tmpdir(), 'meridian-process-metrics-'));
const worldPath = join(dir, 'meridian.yaml');
writeFileSync(
  worldPath,
  `zone: example.test
home: us-west-2
regions:
  us-west-2: { cidr: 10.10.0.0/16, address: 127.0.1.1, port: 1 }
  eu-west-2: { cidr: 10.20.0.0/16, address: 127.0.2.1, port: 1 }
hostnames:
  links: { workload: links, policy: latency }
services:
  links: { in: all }
vantages:
  v1: { location: { lat: 45.5, lon: -122.7 } }
`,
);
const children: ChildProcess[] = [];
const TOKEN = 'process-metrics-token-0123456789';

afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

interface Running {
  ready: Record<string, unknown>;
  stdout: () => string;
}

async function start(args: readonly string[]): Promise<Running> {
  const proc = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '-e',
      `import('./src/cli/main.ts').then(async (m) => { process.exitCode = await m.main(process.argv.slice(1)); })`,
      '--',
      ...args,
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: { ...process.env, MERIDIAN_ADMIN_TOKEN: TOKEN },
    },
  );
  children.push(proc);
  let out = '';
  let err = '';
  proc.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  proc.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
  });
  let ready: Record<string, unknown> | null = null;
  proc.on('message', (m) => {
    if ((m as { type?: unknown }).type === 'ready') ready = m as Record<string, unknown>;
  });
  await until(
    `${args[0]} ready`,
    async () => {
      if (proc.exitCode !== null) throw new Error(`${args[0]} exited: ${err}`);
      return ready !== null;
    },
    30_000,
  );
  return { ready: ready!, stdout: () => out };
}

async function expectProcessMetrics(url: string): Promise<void> {
  const text = await (await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } })).text();
  expect(text).toMatch(/^process_cpu_seconds_total \d/m);
  expect(text).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
}

function jsonLines(stdout: string): Record<string, unknown>[] {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('process metrics and structured logs of every program', { timeout: 90_000 }, () => {
  let homeUrl = '';

  it('home: /metrics has the process and Node metrics, and it logs JSON lines', async () => {
    const home = await start([
      'home',
      worldPath,
      '--port',
      '0',
      '--sqlite',
      '--data-dir',
      join(dir, 'home'),
      '--escrow',
      join(dir, 'escrow'),
      '--log-level',
      'info',
    ]);
    homeUrl = String(home.ready.url);
    await expectProcessMetrics(`${homeUrl}/metrics`);
    await until('a JSON log line', async () => jsonLines(home.stdout()).length > 0);
    const line = jsonLines(home.stdout())[0]!;
    expect(typeof line.level).toBe('number');
    expect(typeof line.msg).toBe('string');
  });

  it('region: the same', async () => {
    const region = await start([
      'region',
      worldPath,
      '--name',
      'us-west-2',
      '--home',
      homeUrl,
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--data-dir',
      join(dir, 'regions'),
      '--escrow',
      join(dir, 'escrow'),
      '--config-public-key',
      join(dir, 'home', 'config-public.pem'),
      '--log-level',
      'info',
    ]);
    await expectProcessMetrics(`${String(region.ready.url)}/metrics`);
    await until('a JSON log line', async () => jsonLines(region.stdout()).length > 0);
    const line = jsonLines(region.stdout())[0]!;
    expect(typeof line.level).toBe('number');
    expect(typeof line.msg).toBe('string');
  });

  it('dns: /metrics on the admin port has them too', async () => {
    const dns = await start([
      'dns',
      worldPath,
      '--listen',
      '127.0.0.1:0',
      '--admin',
      '127.0.0.1:0',
      '--no-watch',
    ]);
    await expectProcessMetrics(`http://127.0.0.1:${String(dns.ready.adminPort)}/metrics`);
  });

  it('probe: --metrics serves them', async () => {
    const probe = await start([
      'probe',
      worldPath,
      '--vantage',
      'v1',
      '--nats',
      '127.0.0.1:4222',
      '--fleet',
      `pm${process.pid}`,
      '--metrics',
      '127.0.0.1:0',
    ]);
    await expectProcessMetrics(`http://127.0.0.1:${String(probe.ready.metricsPort)}/metrics`);
  });
});
