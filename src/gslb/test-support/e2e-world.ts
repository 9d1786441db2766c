// End-to-end fixtures: health endpoints on 127.0.N.1 (port 0), a world file whose regions point
// at them, a GSLB on 127.0.0.1 port 0, and real dig/kdig runs against it.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { Gslb, type GslbOptions } from '../index.js';

/** A /healthz endpoint whose answer a test can switch. */
export class HealthEndpoint {
  readonly address: string;
  port = 0;
  healthy = true;
  #server: Server | null = null;

  constructor(address: string) {
    this.address = address;
  }

  /** Listens on `port` (0: any free port; a restart passes the old one). */
  async start(port = 0): Promise<void> {
    const server = createServer((req, res) => {
      const ok = req.url === '/healthz' && this.healthy;
      res.writeHead(ok ? 200 : 503, { 'content-type': 'text/plain', connection: 'close' });
      res.end(ok ? 'ok\n' : 'down\n');
    });
    await new Promise<void>((resolve) => server.listen(port, this.address, () => resolve()));
    const a = server.address();
    this.port = typeof a === 'object' && a ? a.port : 0;
    this.#server = server;
  }

  async stop(): Promise<void> {
    const s = this.#server;
    this.#server = null;
    if (s) {
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    }
  }
}

/** Probe settings of the e2e world: as fast as the schema allows. */
export const E2E_FAST_HEALTH = '{ path: /healthz, intervalMs: 50, timeoutMs: 100, rise: 1, fall: 1 }';

/** The e2e world: three regions at r1..r3 = 127.0.{1,2,3}.1, the peers' ECS networks. */
export function e2eWorldYaml(ports: readonly number[], extra = '', health = E2E_FAST_HEALTH): string {
  const ns = Array.from(
    { length: 8 },
    (_, i) => `    - { name: ns${i + 1}, address: 127.0.0.${i + 1}, address6: '::1' }`,
  ).join('\n');
  return `zone: example.test
home: us-west-2
regions:
  us-west-2: { cidr: 10.10.0.0/16, address: 127.0.1.1, address6: 'fd00::1', port: ${ports[0]} }
  eu-west-2: { cidr: 10.20.0.0/16, address: 127.0.2.1, address6: 'fd00::2', port: ${ports[1]} }
  af-south-1: { cidr: 10.30.0.0/16, address: 127.0.3.1, port: ${ports[2]} }
hostnames:
  links: { workload: links, policy: latency, ttlSeconds: 30, answers: 1 }
  links-fo: { workload: links, policy: failover, order: [us-west-2, eu-west-2, af-south-1], ttlSeconds: 30 }
  links-all: { workload: links, policy: latency, answers: 3, whenAllDown: all }
  links-none: { workload: links, policy: latency, whenAllDown: none }
  api: { workload: partner-relay, policy: home, ttlSeconds: 120 }
${extra}services:
  links: { in: all, dependsOn: [{ service: config, kind: soft }] }
  config: { in: home, owns: [config-db] }
  partner-relay: { in: home, owns: [partner-db] }
health: ${health}
networks:
  - { name: portland, cidr: 192.0.2.0/24, location: { lat: 45.52, lon: -122.68 } }
  - { name: london, cidr: 198.51.100.0/24, location: { lat: 51.51, lon: -0.13 } }
  - { name: cape-town, cidr: 203.0.113.0/24, location: { lat: -33.92, lon: 18.42 } }
  - { name: europe-wide, cidr: 198.18.0.0/15, location: { lat: 50.1, lon: 8.7 } }
  - { name: johannesburg, cidr: 198.18.7.0/24, location: { lat: -26.2, lon: 28.0 } }
  - { name: london-v6, cidr: '2001:db8:20::/48', location: { lat: 51.51, lon: -0.13 } }
  - { name: cape-town-v6, cidr: '2001:db8:30::/48', location: { lat: -33.92, lon: 18.42 } }
dns:
  nameservers:
${ns}
  negativeTtlSeconds: 45
`;
}

export interface E2e {
  gslb: Gslb;
  port: number;
  adminUrl: string;
  health: HealthEndpoint[];
  worldPath: string;
  dir: string;
  stop(): Promise<void>;
}

/** Starts health endpoints and a GSLB; `stop()` undoes everything. */
export async function startE2e(
  opts: Partial<GslbOptions> & { extraYaml?: string; healthYaml?: string } = {},
): Promise<E2e> {
  const health = [1, 2, 3].map((n) => new HealthEndpoint(`127.0.${n}.1`));
  for (const h of health) await h.start();
  const dir = mkdtempSync(join(tmpdir(), 'meridian-dns-e2e-'));
  const worldPath = join(dir, 'meridian.yaml');
  writeFileSync(
    worldPath,
    e2eWorldYaml(
      health.map((h) => h.port),
      opts.extraYaml,
      opts.healthYaml,
    ),
  );
  const { extraYaml: _x, healthYaml: _h, ...rest } = opts;
  const gslb = new Gslb({
    worldPath,
    listen: { host: '127.0.0.1', port: 0 },
    admin: { host: '127.0.0.1', port: 0 },
    logger: pino({ level: 'silent' }),
    watch: false,
    ...rest,
  });
  await gslb.start();
  return {
    gslb,
    port: gslb.dnsPort,
    adminUrl: `http://127.0.0.1:${gslb.adminPort}`,
    health,
    worldPath,
    dir,
    async stop() {
      await gslb.stop();
      for (const h of health) await h.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs a DNS client (`dig` or `kdig`) and resolves to its stdout. */
export function runClient(tool: 'dig' | 'kdig', port: number, args: readonly string[]): Promise<string> {
  const base =
    tool === 'dig'
      ? ['@127.0.0.1', '-p', String(port), '+time=2', '+tries=1']
      : ['@127.0.0.1', '-p', String(port), '+time=2', '+retry=0'];
  return new Promise((resolve, reject) => {
    execFile(tool, [...base, ...args], { timeout: 15_000 }, (err, stdout, stderr) => {
      if (err && !stdout) reject(new Error(`${tool} ${args.join(' ')} failed: ${stderr || err.message}`));
      else resolve(stdout);
    });
  });
}

/** `dig +short` lines. */
export async function digShort(port: number, args: readonly string[]): Promise<string[]> {
  const out = await runClient('dig', port, [...args, '+short']);
  return out
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Polls `fn` until it returns true or `timeoutMs` passes (then fails with `what`). */
export async function until(what: string, fn: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await fn()) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
