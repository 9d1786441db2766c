// The composition root of `meridian up`: the real programs (`meridian dns`, `meridian home`,
// one `meridian region` per region) under a LabWorld, with the config-source gate in front of
// home, the GSLB's admin API as the drills' control plane, the lab partner and a warm start.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { MeridianError } from '../../core/index.js';
import { LocationWindow } from '../../dashboard/index.js';
import type { DashboardServer } from '../../dashboard/io/index.js';
import { writeRegionKeys } from '../../home/index.js';
import type { World } from '../../world/index.js';
import { loadWorld } from '../../world/io/index.js';
import { labWorkloadOf } from '../lab-workload.js';
import type { RequestRecord } from '../request-record.js';
import { ConfigSourceGate } from './config-source-gate.js';
import { GslbAdminClient } from './gslb-admin-client.js';
import { readLabState } from './lab-control-client.js';
import { DEFAULT_LAB_STATE_FILE } from './lab-control-server.js';
import { startLabDashboard } from './lab-dashboard.js';
import { type LabPrograms, LabWorld } from './lab-world.js';
import { RegionBacklogPoller } from './region-backlog-poller.js';
import { WorldFileReloader, type WorldReloadOutcome } from './world-file-reloader.js';

/** The `meridian` executable (bin/meridian.js, which loads dist/). */
export const MERIDIAN_BIN = fileURLToPath(new URL('../../../bin/meridian.js', import.meta.url));

/** The partner every simulated user belongs to (created at home before the users start). */
export const LAB_PARTNER_ID = 'lab-partner';

export interface MeridianUpOptions {
  readonly worldFile: string;
  /** The guide's "before" picture: home only, serving the baseline. */
  readonly singleRegion?: boolean;
  /** Scratch directory, emptied at start (default `.meridian/up`). */
  readonly stateDir?: string;
  /** GSLB DNS port on 127.0.0.1 (default 8053; 0 picks one). */
  readonly dnsPort?: number;
  /** GSLB admin API port on 127.0.0.1 (default 8054; 0 picks one). */
  readonly adminPort?: number;
  /** Home's port on the home region's address (default 7000; 0 picks one). */
  readonly homePort?: number;
  /** The config-source gate's port in front of home (default 7001; 0 picks one). */
  readonly gatePort?: number;
  /** The dashboard on 127.0.0.1 (default 8055; 0 picks one). */
  readonly dashboardPort?: number;
  readonly reportDir?: string;
  readonly labStateFile?: string;
  readonly reportLeadMs?: number;
  readonly reportTailMs?: number;
  readonly maxJourneysPerPopulation?: number;
  readonly liveOut?: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly onRecord?: (r: RequestRecord) => void;
  readonly onReport?: (paths: { json: string; html: string }) => void;
  /** How long to wait for every region to be warm and probed up (default 60 s). */
  readonly warmTimeoutMs?: number;
  /**
   * Reload the world file on change and on SIGHUP (default true; never with `singleRegion`):
   * added regions start, removed ones stop, the GSLB reloads once they are ready.
   */
  readonly watch?: boolean;
  /** Each reload's outcome (applied with its diff, unchanged, invalid, failed). */
  readonly onReload?: (o: WorldReloadOutcome) => void;
  /** Redis for a world whose workload reads through it (profiles); default $REDIS_URL, else local. */
  readonly redisUrl?: string;
}

/** Where profiles regions find Redis unless told: $REDIS_URL, else the local default. */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

export interface MeridianUp {
  readonly lab: LabWorld;
  /** The world as last applied (changes on reload). */
  readonly world: World;
  /** Reads, lints and applies the world file now (what a change or SIGHUP does). */
  reload(): Promise<WorldReloadOutcome>;
  readonly worldFile: string;
  readonly gslbAdmin: GslbAdminClient;
  readonly gate: ConfigSourceGate;
  readonly backlog: RegionBacklogPoller;
  readonly dnsPort: () => number;
  readonly adminUrl: () => string | undefined;
  readonly homeUrl: () => string | undefined;
  /** The dashboard's page (`http://127.0.0.1:8055/dashboard/`), once the world is up. */
  readonly dashboardUrl: () => string | undefined;
  readonly adminToken: string;
  /** Where everything listens, the processes and the round trips, for printing at start-up. */
  summary(): string;
  /** A few lines: the GSLB, home and the control endpoint (the live view's header). */
  where(): string;
  stop(): Promise<void>;
}

/**
 * Options for a lab that takes no fixed port (GSLB, admin API, home and gate on port 0) and
 * keeps its state, reports and state file under `dir`: for tests and benchmarks that must not
 * collide with `npm start` or with each other. Regions keep the ports of the world file.
 */
export function isolatedLabOptions(
  dir: string,
): Pick<
  MeridianUpOptions,
  | 'stateDir'
  | 'dnsPort'
  | 'adminPort'
  | 'homePort'
  | 'gatePort'
  | 'dashboardPort'
  | 'reportDir'
  | 'labStateFile'
> {
  return {
    stateDir: join(dir, 'state'),
    dnsPort: 0,
    adminPort: 0,
    homePort: 0,
    gatePort: 0,
    dashboardPort: 0,
    reportDir: join(dir, 'reports'),
    labStateFile: join(dir, '.meridian-up.json'),
  };
}

/** Brings the world up; on failure stops what it started and rethrows. */
export async function startMeridianUp(o: MeridianUpOptions): Promise<MeridianUp> {
  const stateDir = resolve(o.stateDir ?? join('.meridian', 'up'));
  refuseIfRunning(o.labStateFile ?? DEFAULT_LAB_STATE_FILE);
  rmSync(stateDir, { recursive: true, force: true });
  mkdirSync(join(stateDir, 'home'), { recursive: true });
  const worldFile = o.singleRegion ? writeSingleRegionWorld(o.worldFile, stateDir) : resolve(o.worldFile);
  const world = loadWorld(worldFile);
  const home = world.regions.find((r) => r.isHome)!;
  // The world file picks the workload: the first hostname the regions serve that the lab runs.
  const workload = labWorkloadOf(world);
  if (!workload) {
    throw new MeridianError(
      'MERIDIAN_LAB_SPAWN_FAILED',
      `${worldFile} has no hostname (other than policy: home) for a workload meridian up runs: links or profiles`,
    );
  }
  if (o.singleRegion && workload.name !== 'links') {
    throw new MeridianError(
      'MERIDIAN_LAB_SPAWN_FAILED',
      `--single-region serves the links baseline; ${worldFile} runs ${workload.name}, which has none`,
    );
  }
  const links = workload.hostname;
  const redisUrl = o.redisUrl ?? process.env.REDIS_URL ?? DEFAULT_REDIS_URL;
  if (workload.name === 'profiles') await assertRedisReachable(redisUrl);
  // Regions of this world share one key space in Redis; another world's must not collide.
  const redisKeyPrefix = `meridian:profiles:${Buffer.from(crypto.getRandomValues(new Uint8Array(6))).toString('hex')}`;
  const adminToken = `lab-${Buffer.from(crypto.getRandomValues(new Uint8Array(24))).toString('base64url')}`;
  const tokenFile = join(stateDir, 'admin-token');
  writeFileSync(tokenFile, adminToken, { mode: 0o600 });
  const keysFile = join(stateDir, 'session-keys');
  writeFileSync(
    keysFile,
    `active 1\nkey 1 ${Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64')}\n`,
    { mode: 0o600 },
  );
  // Home's request secret; each region gets the key derived from it when it starts (decision 0015).
  const requestSecret = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url');
  const requestSecretFile = join(stateDir, 'request-secret');
  writeFileSync(requestSecretFile, requestSecret, { mode: 0o600 });
  const regionKeysDir = join(stateDir, 'region-keys');
  const escrowDir = join(stateDir, 'escrow');
  const homeData = join(stateDir, 'home');
  let homeUrl: string | undefined;
  let gslbPorts: { dns: number; admin: number } | undefined;

  const gate = new ConfigSourceGate({
    listenHost: home.address,
    listenPort: o.gatePort ?? 7001,
    escrowDir,
    target: () => {
      if (!homeUrl) return undefined;
      const u = new URL(homeUrl);
      return { host: u.hostname, port: Number(u.port) };
    },
  });
  await gate.start();
  const gslbAdmin = new GslbAdminClient({
    baseUrl: () => (gslbPorts ? `http://127.0.0.1:${gslbPorts.admin}` : undefined),
    hostname: links.name,
  });
  // The pid each child had when it said it was ready (a restarted child is not ready yet).
  const readyPids = new Map<string, number | undefined>();
  // Reads the running world on each poll (declared before `lab`, called only after it exists).
  const backlog = new RegionBacklogPoller(() => lab.world);
  const requests = new LocationWindow(); // the dashboard's per-location view of the users
  let dashboard: DashboardServer | undefined;
  const programs: LabPrograms = {
    gslb: ({ dnsPort }) => ({
      name: 'gslb',
      script: MERIDIAN_BIN,
      args: [
        'dns',
        worldFile,
        '--listen',
        `127.0.0.1:${dnsPort}`,
        '--admin',
        `127.0.0.1:${o.adminPort ?? 8054}`,
        '--no-watch',
        '--log-level',
        'warn',
      ],
    }),
    home: () => [
      {
        name: 'home',
        script: MERIDIAN_BIN,
        args: [
          'home',
          worldFile,
          '--host',
          home.address,
          '--port',
          String(o.homePort ?? 7000),
          '--data-dir',
          homeData,
          '--escrow',
          escrowDir,
          '--sqlite',
          '--admin-token-file',
          tokenFile,
          '--request-secret-file',
          requestSecretFile,
          // Lets the admin API revoke a session by the full ID a user or a log shows.
          '--session-keys',
          keysFile,
          '--workload',
          workload.name,
        ],
      },
    ],
    region: (name, homeUrlFor) => ({
      name: `region-${name}`,
      script: MERIDIAN_BIN,
      args: [
        'region',
        worldFile,
        '--name',
        name,
        '--home',
        homeUrlFor(gate.port),
        '--data-dir',
        join(stateDir, 'regions', name),
        '--escrow',
        escrowDir,
        '--config-public-key',
        join(homeData, 'config-public.pem'),
        '--session-keys',
        keysFile,
        '--grace-ms',
        '300',
        '--region-key-file',
        writeRegionKeys(regionKeysDir, requestSecret, [name])[0]!,
        '--workload',
        workload.name,
        ...(workload.name === 'profiles' ? ['--redis', redisUrl, '--redis-key-prefix', redisKeyPrefix] : []),
        ...(o.singleRegion ? ['--baseline'] : []),
      ],
    }),
  };

  const lab = new LabWorld({
    world,
    worldFile,
    programs,
    control: {
      setDrained: (region, drained) => gslbAdmin.setDrained(region, drained),
      setRollout: (region, percent) => gslbAdmin.setRollout(region, percent),
      setConfigSource: (mode) => gate.setMode(mode),
    },
    health: () => gslbAdmin.health(),
    backlog: () => backlog.backlog(),
    homePorts: [gate.port],
    dnsPort: o.dnsPort ?? 8053,
    hostname: links.fqdn,
    logDir: join(stateDir, 'logs'),
    ...(o.reportDir ? { reportDir: o.reportDir } : {}),
    ...(o.labStateFile ? { stateFile: o.labStateFile } : {}),
    ...(o.reportLeadMs !== undefined ? { reportLeadMs: o.reportLeadMs } : {}),
    ...(o.reportTailMs !== undefined ? { reportTailMs: o.reportTailMs } : {}),
    ...(o.maxJourneysPerPopulation ? { maxJourneysPerPopulation: o.maxJourneysPerPopulation } : {}),
    ...(o.liveOut ? { liveOut: o.liveOut } : {}),
    onRecord: (r) => {
      requests.record(r);
      o.onRecord?.(r);
    },
    ...(o.onReport ? { onReport: o.onReport } : {}),
    onReady: (name, m) => {
      readyPids.set(name, lab.supervisor.status(name)?.pid);
      if (name === 'home' && typeof m.url === 'string') homeUrl = m.url;
      if (name === 'gslb') gslbPorts = { dns: Number(m.dnsPort), admin: Number(m.adminPort) };
    },
    afterHome: async () => {
      // The links users belong to a partner; profiles users need nothing at home beforehand.
      if (workload.name === 'links') await createLabPartner(homeUrl!, adminToken, links.fqdn);
      gslbAdmin.startPolling(1000);
    },
    // The GSLB learns of a new world only once the added regions are ready (it probes them
    // before any answer names them). Home and the regions already running re-read it too, so
    // their /status (and `meridian audit`) report the new world.
    onWorldApplied: () => {
      lab.supervisor.kill('gslb', 'SIGHUP');
      for (const child of lab.supervisor.list()) {
        // Only a process that said it is ready has its SIGHUP handler (else SIGHUP kills it); one
        // starting now reads the new file anyway.
        const ready = child.pid !== undefined && readyPids.get(child.name) === child.pid;
        if (
          ready &&
          child.state === 'running' &&
          (child.name === 'home' || child.name.startsWith('region-'))
        ) {
          lab.supervisor.kill(child.name, 'SIGHUP');
        }
      }
    },
    beforeUsers: async () => {
      await waitUntilWarm(world, gslbAdmin, o.warmTimeoutMs ?? 60_000);
      backlog.start();
    },
  });
  const reloader = new WorldFileReloader({
    path: worldFile,
    currentHash: () => lab.world.hash,
    apply: (next) => lab.applyWorld(next),
    ...(o.onReload ? { onOutcome: o.onReload } : {}),
  });
  const up: MeridianUp = {
    lab,
    get world() {
      return lab.world;
    },
    reload: () => reloader.reload('request'),
    worldFile,
    gslbAdmin,
    gate,
    backlog,
    adminToken,
    dnsPort: () => gslbPorts?.dns ?? 0,
    adminUrl: () => (gslbPorts ? `http://127.0.0.1:${gslbPorts.admin}` : undefined),
    homeUrl: () => homeUrl,
    dashboardUrl: () => dashboard?.url,
    where: () =>
      [
        `GSLB dns 127.0.0.1:${gslbPorts?.dns}  admin http://127.0.0.1:${gslbPorts?.admin}  home ${homeUrl}  control ${lab.controlUrl}`,
        `regions ${world.regions.map((r) => `${r.name} ${r.address}:${r.port}`).join('  ')}`,
        `logs ${join(stateDir, 'logs')}   drills: meridian drill region-down ${world.regions.find((r) => !r.isHome)?.name ?? home.name} --for 60s`,
      ].join('\n'),
    summary: () =>
      [
        `workload                 ${workload.name} at ${links.fqdn}${
          workload.notRun.length > 0
            ? `   (not run: ${workload.notRun.map((h) => `${h.workload} at ${h.fqdn}`).join(', ')}; one workload per world)`
            : ''
        }`,
        `gslb DNS                 udp+tcp 127.0.0.1:${gslbPorts?.dns}   (dig @127.0.0.1 -p ${gslbPorts?.dns} ${links.fqdn} +subnet=…)`,
        `gslb admin               http://127.0.0.1:${gslbPorts?.admin}/v1/state`,
        `dashboard                ${dashboard?.url ?? '(not up)'}`,
        `home                     ${homeUrl}   (admin token in ${tokenFile})`,
        `home config gate         http://${home.address}:${gate.port}   (what regions call home through)`,
        `state and logs           ${stateDir}`,
        lab.summary(),
      ].join('\n'),
    stop: async () => {
      reloader.stop();
      gslbAdmin.stop();
      backlog.stop();
      await dashboard?.close();
      await lab.stop();
      await gate.stop();
    },
  };
  try {
    await lab.start();
    dashboard = await startLabDashboard({
      lab,
      port: o.dashboardPort ?? 8055,
      adminUrl: up.adminUrl,
      requests,
    });
    if (o.watch !== false && !o.singleRegion) reloader.start();
  } catch (err) {
    await up.stop().catch(() => {});
    throw err;
  }
  return up;
}

/** A second `meridian up` in the same directory would empty the first one's state directory. */
function refuseIfRunning(labStateFile: string): void {
  let running: { pid: number; controlUrl: string } | undefined;
  try {
    running = readLabState(labStateFile);
  } catch {
    return; // none recorded, or its process is gone
  }
  if (running.pid === process.pid) return;
  throw new MeridianError(
    'MERIDIAN_LAB_SPAWN_FAILED',
    `meridian up is already running in this directory (pid ${running.pid}, control ${running.controlUrl}); stop it with Ctrl-C first`,
  );
}

/** Writes a copy of the world with the home region only (the single-region "before" picture). */
export function writeSingleRegionWorld(worldFile: string, stateDir: string): string {
  const doc = parse(readFileSync(worldFile, 'utf8')) as Record<string, unknown>;
  const homeName = String(doc.home);
  const regions = (doc.regions ?? {}) as Record<string, unknown>;
  doc.regions = { [homeName]: regions[homeName] };
  const latency = doc.latency as Record<string, Record<string, unknown>> | undefined;
  if (latency) {
    for (const row of Object.values(latency)) {
      for (const k of Object.keys(row)) if (k !== homeName && !(k in (doc.regions as object))) delete row[k];
    }
  }
  const hostnames = (doc.hostnames ?? {}) as Record<string, Record<string, unknown>>;
  for (const h of Object.values(hostnames)) {
    delete h.rollout;
    delete h.order;
    if (typeof h.answers === 'number') h.answers = 1;
  }
  const services = (doc.services ?? {}) as Record<string, Record<string, unknown>>;
  for (const s of Object.values(services)) {
    if (Array.isArray(s.in)) s.in = s.in.filter((r) => r === homeName || r === 'home');
  }
  const out = join(stateDir, 'world-single-region.yaml');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(
    out,
    `# Derived from ${resolve(worldFile)} by meridian up --single-region\n${stringify(doc)}`,
  );
  return out;
}

/**
 * Refuses to start a profiles world without Redis: PING at `url` must answer PONG within 2 s.
 * Exported for tests.
 */
export async function assertRedisReachable(url: string, timeoutMs = 2000): Promise<void> {
  let host = '127.0.0.1';
  let port = 6379;
  try {
    const u = new URL(url);
    host = u.hostname || host;
    port = u.port ? Number(u.port) : port;
  } catch {
    throw new MeridianError('MERIDIAN_LAB_REDIS_UNREACHABLE', `REDIS_URL ${url} is not a redis:// URL`);
  }
  const reply = await new Promise<string>((resolveReply) => {
    const socket = connect({ host, port });
    let text = '';
    const done = (r: string) => {
      clearTimeout(timer);
      socket.destroy();
      resolveReply(r);
    };
    const timer = setTimeout(() => done(`no answer within ${timeoutMs} ms`), timeoutMs);
    socket.once('error', (err: NodeJS.ErrnoException) => done(err.code ?? err.message));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (d: Buffer) => {
      text += d.toString();
      if (text.includes('\r\n')) done(text.trim());
    });
  });
  if (reply === '+PONG') return;
  throw new MeridianError(
    'MERIDIAN_LAB_REDIS_UNREACHABLE',
    `the profiles workload reads through Redis, and Redis at ${url} does not answer (${reply}); start one (redis-server) or set REDIS_URL`,
  );
}

async function createLabPartner(homeUrl: string, token: string, fqdn: string): Promise<void> {
  const res = await fetch(`${homeUrl}/v1/admin/partners/${LAB_PARTNER_ID}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'Lab users',
      linkTemplate: `https://${fqdn}/l/{token}`,
      allowedHosts: ['example.org'],
      rateLimitRps: 100_000,
      active: true,
    }),
    signal: AbortSignal.timeout(10_000),
  });
  if (res.status >= 300) {
    throw new MeridianError(
      'MERIDIAN_LAB_SPAWN_FAILED',
      `home refused the lab partner: ${res.status} ${(await res.text()).slice(0, 200)}`,
    );
  }
}

/** Until every region answers /healthz 200 and the GSLB sees it up. */
async function waitUntilWarm(world: World, gslb: GslbAdminClient, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let pending: string[] = world.regions.map((r) => r.name);
  while (Date.now() < deadline) {
    const state = await gslb.state().catch(() => undefined);
    const regions = (state?.regions ?? []) as { name: string; state: string }[];
    pending = world.regions
      .filter((r) => regions.find((x) => x.name === r.name)?.state !== 'up')
      .map((r) => r.name);
    if (pending.length === 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new MeridianError(
    'MERIDIAN_LAB_SPAWN_FAILED',
    `regions not warm and up at the GSLB within ${timeoutMs} ms: ${pending.join(', ')} (see their logs)`,
  );
}
