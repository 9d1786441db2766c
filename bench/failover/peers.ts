// Starts and stops the DNS servers compared in the failover bench: Meridian (`meridian dns`),
// gdnsd 3.8 (http_status monitor) and PowerDNS 4.7 (LUA ifurlup), each on its own loopback port,
// all probing the same health endpoints. Configs are copies of ../shared/bench/peers (see peers/).
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const ROOT = join(HERE, '..', '..');

export interface RunningPeer {
  readonly name: string;
  readonly port: number;
  stop(): Promise<void>;
}

function render(template: string, vars: Record<string, string | number>): string {
  let text = readFileSync(join(HERE, 'peers', template), 'utf8');
  for (const [k, v] of Object.entries(vars)) text = text.replaceAll(`@${k}@`, String(v));
  return text;
}

function run(name: string, cmd: string, args: string[], logFile: string): ChildProcess {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const chunks: string[] = [];
  child.stdout?.on('data', (b: Buffer) => chunks.push(b.toString()));
  child.stderr?.on('data', (b: Buffer) => chunks.push(b.toString()));
  child.on('exit', () => writeFileSync(logFile, chunks.join('')));
  child.on('error', (err) => chunks.push(`${name}: ${err.message}\n`));
  return child;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

function peer(name: string, port: number, child: ChildProcess): RunningPeer {
  return { name, port, stop: () => stopChild(child) };
}

/** gdnsd with its fastest accepted monitor settings (interval 2 s, timeout 1 s, thresholds 1). */
export function startGdnsd(opts: { port: number; healthPort: number; varDir: string; intervalS: number }) {
  const dir = join(opts.varDir, 'gdnsd');
  rmSync(dir, { recursive: true, force: true });
  for (const d of ['etc/zones', 'run', 'state']) mkdirSync(join(dir, d), { recursive: true });
  writeFileSync(
    join(dir, 'etc', 'config'),
    render('gdnsd.config.in', {
      VAR: opts.varDir,
      DNS_PORT: opts.port,
      HEALTH_PORT: opts.healthPort,
      INTERVAL: opts.intervalS,
      TIMEOUT: Math.max(1, Math.floor(opts.intervalS / 2)),
      UP_THRESH: 1,
      OK_THRESH: 1,
      DOWN_THRESH: 1,
    }),
  );
  writeFileSync(join(dir, 'etc', 'zones', 'example.test'), render('gdnsd.example.test.zone', {}));
  const child = run('gdnsd', 'gdnsd', ['-c', join(dir, 'etc'), 'start'], join(opts.varDir, 'gdnsd.log'));
  return peer(`gdnsd (interval ${opts.intervalS} s)`, opts.port, child);
}

/** PowerDNS with LUA records; `lua-health-checks-interval` in seconds, packet cache off. */
export function startPdns(opts: { port: number; healthPort: number; varDir: string; intervalS: number }) {
  const dir = join(opts.varDir, 'pdns');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'run'), { recursive: true });
  const zone = join(dir, 'example.test.zone');
  writeFileSync(zone, render('pdns.example.test.zone.in', { HEALTH_PORT: opts.healthPort }));
  writeFileSync(join(dir, 'named.conf'), render('pdns.named.conf.in', { VAR: dir, ZONE: zone }));
  writeFileSync(
    join(dir, 'pdns.conf'),
    render('pdns.conf.in', {
      VAR: opts.varDir,
      DNS_PORT: opts.port,
      INTERVAL: opts.intervalS,
      CACHE_TTL: 0,
      LOGLEVEL: 4,
    }),
  );
  const child = run('pdns', 'pdns_server', [`--config-dir=${dir}`], join(opts.varDir, 'pdns.log'));
  return peer(`PowerDNS LUA (interval ${opts.intervalS} s)`, opts.port, child);
}

/** The world file Meridian's DNS server answers from: r1, r2, r3 in failover order for `links`. */
export function benchWorldYaml(opts: {
  healthPort: number;
  intervalMs: number;
  timeoutMs: number;
  rise: number;
  fall: number;
}): string {
  return [
    '# Written by bench/failover: three regions on loopback, `links` fails over r1 → r2 → r3.',
    'zone: example.test',
    'home: r3',
    'regions:',
    `  r1: { cidr: 10.1.0.0/16, address: 127.0.1.1, port: ${opts.healthPort}, location: { lat: 45.8, lon: -119.7 } }`,
    `  r2: { cidr: 10.2.0.0/16, address: 127.0.2.1, port: ${opts.healthPort}, location: { lat: 51.5, lon: -0.1 } }`,
    `  r3: { cidr: 10.3.0.0/16, address: 127.0.3.1, port: ${opts.healthPort}, location: { lat: -33.9, lon: 18.4 } }`,
    'hostnames:',
    '  links: { workload: links, policy: failover, order: [r1, r2, r3], ttlSeconds: 30 }',
    'services:',
    '  links: { in: all }',
    `health: { path: /healthz, intervalMs: ${opts.intervalMs}, timeoutMs: ${opts.timeoutMs}, rise: ${opts.rise}, fall: ${opts.fall} }`,
    '',
  ].join('\n');
}

/** True when this checkout has the `meridian dns` command built. */
export function meridianDnsAvailable(): boolean {
  return existsSync(join(ROOT, 'dist', 'cli', 'commands', 'dns.js'));
}

/** `meridian dns WORLD --listen 127.0.0.1:PORT` as a child process. */
export function startMeridianDns(opts: {
  port: number;
  adminPort: number;
  varDir: string;
  worldYaml: string;
  label: string;
}) {
  mkdirSync(opts.varDir, { recursive: true });
  const world = join(opts.varDir, 'meridian-world.yaml');
  writeFileSync(world, opts.worldYaml);
  const child = run(
    'meridian',
    process.execPath,
    [
      join(ROOT, 'bin', 'meridian.js'),
      'dns',
      world,
      '--listen',
      `127.0.0.1:${opts.port}`,
      '--admin',
      `127.0.0.1:${opts.adminPort}`,
    ],
    join(opts.varDir, 'meridian-dns.log'),
  );
  return peer(opts.label, opts.port, child);
}
