// End to end: fake regions serve `/status` on 127.0.N.1 (port 0), a world file names them,
// and `meridian audit` must report each injected drift.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RegionStatus, regionStatus, type World } from '../../world/index.js';
import { loadWorld } from '../../world/io/index.js';
import type { CliIo } from '../cli-io.js';
import { main } from '../main.js';

const BUILD = '7.7.7';

interface FakeRegion {
  readonly name: string;
  readonly host: string;
  server: Server;
  port: number;
  /** What `/status` answers; `null` answers 404. */
  body: RegionStatus | null;
}

async function listen(
  host: string,
  handler: () => RegionStatus | null,
): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    const body = req.url === '/status' ? handler() : null;
    res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body ?? { error: { code: 'not_found', message: 'no' } }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  return { server, port: (server.address() as AddressInfo).port };
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

function capture(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l), setExitCode: () => {} };
}

describe('meridian audit against fake regions', () => {
  const dir = mkdtempSync(join(tmpdir(), 'meridian-audit-'));
  const file = join(dir, 'meridian.yaml');
  const regions: FakeRegion[] = [];
  let home: FakeRegion;
  let extra: FakeRegion;
  let world: World;

  const healthy = (name: string, kind: 'region' | 'home' = 'region', version = 12): RegionStatus =>
    regionStatus(world, name, {
      kind,
      buildVersion: BUILD,
      config: { version, createdAt: new Date(Date.now() - 60_000) },
      startedAt: new Date(Date.now() - 3_600_000),
    });

  const run = async (...args: string[]) => {
    const io = capture();
    const code = await main(['audit', file, '--home', `127.0.46.1:${home.port}`, ...args], io);
    return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
  };

  beforeAll(async () => {
    const make = async (name: string, host: string): Promise<FakeRegion> => {
      const r: FakeRegion = { name, host, port: 0, body: null, server: undefined as unknown as Server };
      const { server, port } = await listen(host, () => r.body);
      r.server = server;
      r.port = port;
      return r;
    };
    regions.push(await make('us-west-2', '127.0.41.1'));
    regions.push(await make('eu-west-2', '127.0.42.1'));
    regions.push(await make('af-south-1', '127.0.43.1'));
    home = await make('us-west-2', '127.0.46.1');
    extra = await make('ap-east-1', '127.0.47.1');
    const [us, eu, af] = regions as [FakeRegion, FakeRegion, FakeRegion];
    writeFileSync(
      file,
      `zone: example.test
home: us-west-2
regions:
  us-west-2: { cidr: 10.10.0.0/16, address: ${us.host}, port: ${us.port} }
  eu-west-2:
    cidr: 10.20.0.0/16
    address: ${eu.host}
    port: ${eu.port}
    overrides: { limits: { partnerRps: 50 } }
  af-south-1: { cidr: 10.30.0.0/16, address: ${af.host}, port: ${af.port} }
services:
  links: { in: all, version: 0.1.0, dependsOn: [{ service: config, kind: soft }] }
  config: { in: home, owns: [config-db] }
health: { path: /healthz, intervalMs: 500, timeoutMs: 300, rise: 2, fall: 2 }
template:
  build: ${BUILD}
  configSnapshot: config
  limits: { maxBodyBytes: 16384, partnerRps: 200 }
  knobs: { outboxFlushMs: 200 }
`,
    );
    world = loadWorld(file);
  });

  beforeEach(() => {
    for (const r of regions) r.body = healthy(r.name);
    home.body = healthy('us-west-2', 'home');
    extra.body = null;
  });

  afterEach(async () => {
    // A test that stopped a region restarts it on the same port.
    for (const r of regions) {
      if (!r.server.listening) {
        const { server } = await new Promise<{ server: Server }>((resolve, reject) => {
          const s = createServer((req, res) => {
            const body = req.url === '/status' ? r.body : null;
            res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
            res.end(JSON.stringify(body ?? {}));
          });
          s.once('error', reject);
          s.listen(r.port, r.host, () => resolve({ server: s }));
        });
        r.server = server;
      }
    }
  });

  afterAll(async () => {
    await Promise.all([...regions, home, extra].map((r) => close(r.server)));
    rmSync(dir, { recursive: true, force: true });
  });

  it('exits 0 when every region and home match, and shows the declared override as intended', async () => {
    const { code, out } = await run();
    expect(out).toContain('No drift: 4 consistent.');
    expect(out).toContain('limits.partnerRps = 50 (declared override of 200, not drift)');
    expect(code).toBe(0);
  });

  it('reports a different build', async () => {
    regions[1]!.body = { ...healthy('eu-west-2'), buildVersion: '7.7.8' };
    const { code, out } = await run();
    expect(out).toContain('~ region "eu-west-2"');
    expect(out).toContain('~ buildVersion: "7.7.8" -> "7.7.7"');
    expect(code).toBe(2);
  });

  it('reports a stale config snapshot (versions behind and time behind)', async () => {
    regions[2]!.body = healthy('af-south-1', 'region', 9);
    const { code, out } = await run();
    expect(out).toMatch(
      /~ config\.version: 9 -> 12 \(3 versions behind the newest snapshot, published \d+ s ago/,
    );
    expect(code).toBe(2);
    regions[2]!.body = healthy('af-south-1', 'region', 11);
    expect((await run('--max-config-lag-seconds', '3600')).code).toBe(0);
    expect((await run('--max-config-lag-seconds', '10')).out).toContain('~ config.version: 11 -> 12');
  });

  it('reports a changed health interval', async () => {
    const s = healthy('us-west-2');
    regions[0]!.body = { ...s, health: { ...s.health, intervalMs: 1000 } };
    const { code, out } = await run();
    expect(out).toContain('~ health.intervalMs: 1000 -> 500');
    expect(code).toBe(2);
  });

  it('reports a declared region that does not answer as missing, not a crash', async () => {
    await close(regions[2]!.server);
    const { code, out } = await run();
    expect(out).toMatch(
      /\+ region "af-south-1" at 127\.0\.43\.1:\d+: declared but not answering \(connect ECONNREFUSED\)/,
    );
    expect(out).toContain('Drift: 0 changed, 1 missing, 0 unexpected, 3 consistent.');
    expect(code).toBe(2);
  });

  it('reports an extra region found by --discover or --endpoint', async () => {
    extra.body = { ...healthy('af-south-1'), name: 'ap-east-1' };
    for (const args of [
      ['--discover', '127.0.47.0/30', '--discover-port', String(extra.port)],
      ['--endpoint', `127.0.47.1:${extra.port}`],
    ]) {
      const { code, out } = await run(...args);
      expect(out).toMatch(
        /- region "ap-east-1" at 127\.0\.47\.1:\d+: answering as region "ap-east-1", which the world file does not declare/,
      );
      expect(code).toBe(2);
    }
  });

  it('ignores discovered endpoints that are silent or not Meridian', async () => {
    const { code } = await run('--discover', '127.0.47.0/30', '--discover-port', String(extra.port));
    expect(code).toBe(0);
  });

  it('reports home drift and prints JSON with --json', async () => {
    home.body = { ...healthy('us-west-2', 'home'), worldHash: 'f'.repeat(64) };
    const { code, out } = await run('--json');
    const report = JSON.parse(out);
    expect(report.drift).toBe(true);
    const h = report.regions.find((r: { kind: string }) => r.kind === 'home');
    expect(h).toMatchObject({ state: 'changed', changes: [{ path: 'worldHash', live: 'f'.repeat(64) }] });
    expect(code).toBe(2);
  });

  it('exits 1 and prints the diagnostics for a world that fails lint', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'zone: example.test\nhome: nowhere\nregions: {}\n');
    const io = capture();
    const code = await main(['audit', bad], io);
    expect(code).toBe(1);
    expect(io.stderr.join('\n')).toMatch(/bad\.yaml:\d+:\d+: error/);
    expect(io.stdout).toEqual([]);
  });

  it('exits 1 for a missing world file', async () => {
    const io = capture();
    expect(await main(['audit', join(dir, 'absent.yaml')], io)).toBe(1);
    expect(io.stderr.join('\n')).toContain('cannot read world file');
  });
});
