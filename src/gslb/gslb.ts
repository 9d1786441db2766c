// The `meridian dns` program: the world file, the health monitor, the steering publisher, the DNS
// engine, the UDP and TCP listeners and the admin API, wired once. Reload validates first; the
// publisher then swaps world and health together.
import pino, { type Logger } from 'pino';
import { Registry } from 'prom-client';
import { type Clock, MeridianError, type Random, systemClock, systemRandom } from '../core/index.js';
import { type ClientAddress, DnsEngine, type DnsHandler, type DnsQuery, wire } from '../dns/index.js';
import { TcpServer, type UdpIo, UdpServer } from '../dns/io/index.js';
import { checkAdminExposure, type HttpLimitOverrides } from '../http/index.js';
import { HealthMonitor, MONITOR_EVENTS, type Probe } from '../monitor/index.js';
import { HealthCheckProbe } from '../monitor/io/index.js';
import {
  ClientLocator,
  type Explanation,
  explainQuery,
  type GeoLookup,
  parseClientSpec,
} from '../policy/index.js';
import type { Rollout, World } from '../world/index.js';
import { loadWorldInWorker } from '../world/io/index.js';
import { type AdminApi, buildAdminApi } from './admin-api.js';
import { GslbMetrics } from './gslb-metrics.js';
import { watchFile } from './io/watch-file.js';
import { SteeringPublisher } from './steering-publisher.js';

export interface HostPort {
  host: string;
  port: number;
}

export const DEFAULT_LISTEN: HostPort = { host: '127.0.0.1', port: 8053 };
export const DEFAULT_ADMIN: HostPort = { host: '127.0.0.1', port: 8054 };
/** How many errors of an invalid world a reload logs and returns (`meridian lint` lists all). */
export const RELOAD_ERRORS_LISTED = 100;

export interface GslbOptions {
  worldPath: string;
  /** DNS (UDP and TCP); default 127.0.0.1:8053. Port 0 picks a free port. */
  listen?: HostPort;
  /** Admin HTTP API; default 127.0.0.1:8054; null turns it off. */
  admin?: HostPort | null;
  /**
   * Bearer token the admin API requires: mandatory when it binds off loopback, and checked by
   * the shared policy (parseAdminToken in src/http: 16+ visible characters).
   */
  adminToken?: string;
  /** DNS names besides localhost and IP literals that may appear in the admin API's Host. */
  adminAllowedHosts?: readonly string[];
  /** Overrides of the admin API's HTTP limits (src/http). */
  adminHttpLimits?: HttpLimitOverrides;
  geo?: GeoLookup | null;
  logger?: Logger;
  registry?: Registry;
  clock?: Clock;
  random?: Random;
  probe?: Probe;
  /** Log every query at info level (costly: off by default). */
  queryLog?: boolean;
  /** Reload when the world file changes (default true). */
  watch?: boolean;
  /** DNS TCP limits (see TcpServerOptions in src/dns). */
  tcpIdleTimeoutMs?: number;
  tcpMessageTimeoutMs?: number;
  tcpMaxConnections?: number;
  tcpMaxConnectionsPerClient?: number;
  /** UDP datagram I/O: `auto` (default: the batch addon when built, else node:dgram), `batch`, `dgram`. */
  udpIo?: UdpIo;
}

export interface ReloadResult {
  readonly ok: boolean;
  readonly hash?: string;
  readonly errors?: readonly string[];
}

export class Gslb {
  readonly #opts: GslbOptions;
  readonly log: Logger;
  readonly registry: Registry;
  #fileWorld: World | null = null;
  #publisher: SteeringPublisher | null = null;
  #monitor: HealthMonitor | null = null;
  #engine: DnsEngine | null = null;
  #udp: UdpServer | null = null;
  #tcp: TcpServer | null = null;
  #admin: AdminApi | null = null;
  #metrics: GslbMetrics | null = null;
  #stopWatch: (() => void) | null = null;
  #unsubscribe: (() => void) | null = null;
  /** The reload running now (reloads run one at a time), and what stops it with the server. */
  #reloadChain: Promise<unknown> = Promise.resolve();
  readonly #stopping = new AbortController();
  #reloads = { ok: 0, failed: 0, lastAtMs: null as number | null, lastError: null as string | null };
  readonly #adminToken: string | undefined;

  constructor(opts: GslbOptions) {
    this.#opts = opts;
    this.log = opts.logger ?? pino({ name: 'meridian-dns' });
    this.registry = opts.registry ?? new Registry();
    const admin = opts.admin === undefined ? DEFAULT_ADMIN : opts.admin;
    this.#adminToken = admin
      ? checkAdminExposure({ host: admin.host, token: opts.adminToken, what: 'the GSLB admin API' })
      : undefined;
  }

  /** The world answers are steered by: the file's, with the runtime rollout overrides. */
  get world(): World {
    return this.publisher.current.world;
  }

  get publisher(): SteeringPublisher {
    if (!this.#publisher) throw new MeridianError('MERIDIAN_GSLB_NOT_STARTED', 'the GSLB is not started');
    return this.#publisher;
  }

  get engine(): DnsEngine {
    if (!this.#engine) throw new MeridianError('MERIDIAN_GSLB_NOT_STARTED', 'the GSLB is not started');
    return this.#engine;
  }

  get monitor(): HealthMonitor {
    if (!this.#monitor) throw new MeridianError('MERIDIAN_GSLB_NOT_STARTED', 'the GSLB is not started');
    return this.#monitor;
  }

  /** Bound DNS port (UDP and TCP). */
  get dnsPort(): number {
    return this.#udp?.port ?? 0;
  }

  /** The UDP datagram I/O in use (`batch` or `dgram`), null before start. */
  get udpIo(): 'batch' | 'dgram' | null {
    return this.#udp?.ioUsed ?? null;
  }

  /** Bound admin port, or 0. */
  get adminPort(): number {
    return this.#admin?.port ?? 0;
  }

  /** Loads the world (throws MERIDIAN_WORLD_INVALID), starts probing, binds the listeners. */
  async start(): Promise<void> {
    const opts = this.#opts;
    // in a worker thread too: the YAML parse's garbage never reaches this thread's heap
    const world = await loadWorldInWorker(opts.worldPath);
    this.#fileWorld = world;
    const clock: Clock = opts.clock ?? systemClock;
    const random: Random = opts.random ?? systemRandom;
    const monitor = new HealthMonitor({
      world,
      clock,
      random,
      registry: this.registry,
      probe: opts.probe ?? new HealthCheckProbe(),
    });
    monitor.on(MONITOR_EVENTS.stateChange, (e) =>
      this.log.info({ event: MONITOR_EVENTS.stateChange, ...e }, `region ${e.region} ${e.from} → ${e.to}`),
    );
    monitor.on(MONITOR_EVENTS.drain, (e) =>
      this.log.info(
        { event: MONITOR_EVENTS.drain, ...e },
        `region ${e.region} ${e.drained ? 'drained' : 'undrained'}`,
      ),
    );
    const publisher = new SteeringPublisher({
      world,
      health: monitor.table(),
      geo: opts.geo ?? null,
      random,
    });
    const engine = new DnsEngine({
      steering: publisher.current,
      onError: (err) => this.log.error({ err, event: 'meridian:dns:error' }, 'query failed'),
    });
    this.#monitor = monitor;
    this.#publisher = publisher;
    this.#engine = engine;
    this.#metrics = new GslbMetrics(
      this.registry,
      () => this.engine,
      () => this.monitor.table().version,
      { udp: () => this.#udp?.drops() ?? null, tcp: () => this.#tcp?.stats() ?? null },
    );
    const unpublish = publisher.subscribe((s) => engine.publish(s));
    const unfollow = publisher.follow(monitor);
    this.#unsubscribe = () => {
      unfollow();
      unpublish();
    };
    const handler = opts.queryLog ? this.#queryLogger(engine) : engine;
    const listen = opts.listen ?? DEFAULT_LISTEN;
    // TCP on the same port as UDP. With port 0 the port UDP got may be taken for TCP (by an
    // outgoing connection, say): then try another one.
    for (let attempt = 1; ; attempt++) {
      const udp = new UdpServer({ ...listen, handler, recvBufferBytes: 4 << 20, io: opts.udpIo ?? 'auto' });
      await udp.start();
      const tcp = new TcpServer({
        host: listen.host,
        port: udp.port,
        handler,
        ...(opts.tcpIdleTimeoutMs ? { idleTimeoutMs: opts.tcpIdleTimeoutMs } : {}),
        ...(opts.tcpMessageTimeoutMs ? { messageTimeoutMs: opts.tcpMessageTimeoutMs } : {}),
        ...(opts.tcpMaxConnections ? { maxConnections: opts.tcpMaxConnections } : {}),
        ...(opts.tcpMaxConnectionsPerClient
          ? { maxConnectionsPerClient: opts.tcpMaxConnectionsPerClient }
          : {}),
        ...(opts.clock ? { clock: opts.clock } : {}),
      });
      try {
        await tcp.start();
      } catch (err) {
        await udp.stop();
        if (listen.port !== 0 || attempt >= 20) throw err;
        continue;
      }
      this.#udp = udp;
      this.#tcp = tcp;
      break;
    }
    const admin = opts.admin === undefined ? DEFAULT_ADMIN : opts.admin;
    if (admin) {
      this.#admin = await buildAdminApi(this, {
        ...admin,
        token: this.#adminToken,
        allowedHosts: opts.adminAllowedHosts,
        httpLimits: opts.adminHttpLimits,
      });
    }
    monitor.start();
    if (opts.watch ?? true)
      this.#stopWatch = watchFile(opts.worldPath, () => void this.reload('file change'));
    this.log.info(
      {
        event: 'meridian:gslb:started',
        dns: `${listen.host}:${this.dnsPort}`,
        admin: admin ? `${admin.host}:${this.adminPort}` : null,
        zone: world.zone,
        hash: world.hash,
        udpIo: this.#udp?.ioUsed ?? null,
        udpIoFallback: this.#udp?.ioFallbackReason ?? null,
      },
      `serving ${world.zone} on ${listen.host}:${this.dnsPort} (udp io: ${this.#udp?.ioUsed ?? '?'})`,
    );
  }

  async stop(): Promise<void> {
    this.#stopping.abort(new Error('the server is stopping'));
    this.#stopWatch?.();
    this.#stopWatch = null;
    this.#unsubscribe?.();
    await this.#admin?.close();
    this.#admin = null;
    await this.#udp?.stop();
    await this.#tcp?.stop();
    await this.#monitor?.stop();
  }

  /**
   * Re-reads the world file: invalid keeps the old world serving; valid swaps atomically. The
   * file is read, linted and resolved in a worker thread, so answers keep flowing meanwhile;
   * reloads run one at a time, in the order asked.
   */
  reload(why = 'request'): Promise<ReloadResult> {
    const run = this.#reloadChain.then(() => this.#reload(why));
    this.#reloadChain = run.catch(() => {});
    return run;
  }

  async #reload(why: string): Promise<ReloadResult> {
    let loaded: { world: World } | null = null;
    try {
      const options = { signal: this.#stopping.signal, maxErrorsListed: RELOAD_ERRORS_LISTED };
      loaded = { world: await loadWorldInWorker(this.#opts.worldPath, options) };
    } catch (err) {
      const message = (err as Error).message;
      if (this.#stopping.signal.aborted) return { ok: false, errors: [message] };
      this.#reloads.failed += 1;
      this.#reloads.lastError = message;
      this.#metrics?.reloads.inc({
        result: (err as MeridianError).code === 'MERIDIAN_WORLD_INVALID' ? 'invalid' : 'unreadable',
      });
      this.log.error(
        { event: 'meridian:gslb:reload-failed', why, error: message },
        'reload failed; still serving the previous world',
      );
      return {
        ok: false,
        errors: message
          .split('\n')
          .slice(1)
          .map((s) => s.trim())
          .filter(Boolean),
      };
    }
    const world = loaded.world;
    if (world.hash === this.#fileWorld?.hash) {
      this.log.info(
        { event: 'meridian:gslb:reload', why, hash: world.hash, changed: false },
        'world file unchanged',
      );
      this.#metrics?.reloads.inc({ result: 'ok' });
      this.#reloads.ok += 1;
      return { ok: true, hash: world.hash };
    }
    // indexing 20 000 networks takes long: in slices, answering queries in between
    const locator = await ClientLocator.build(world, this.#opts.geo ?? null);
    if (this.#stopping.signal.aborted) return { ok: false, errors: ['the server is stopping'] };
    this.#fileWorld = world;
    // the new world waits for a table of its regions, which the monitor hands over in setWorld;
    // the runtime rollouts are cleared (the file is the truth again)
    this.publisher.setWorld(world, locator);
    this.monitor.setWorld(world);
    this.publisher.offerHealth(this.monitor.table());
    this.#reloads.ok += 1;
    this.#reloads.lastAtMs = (this.#opts.clock ?? systemClock).now();
    this.#reloads.lastError = null;
    this.#metrics?.reloads.inc({ result: 'ok' });
    this.log.info({ event: 'meridian:gslb:reload', why, hash: world.hash, changed: true }, 'world reloaded');
    return { ok: true, hash: world.hash };
  }

  drain(region: string): void {
    this.monitor.drain(region);
  }

  undrain(region: string): void {
    this.monitor.undrain(region);
  }

  /** Overrides a hostname's rollout until the next reload of a changed file; null removes it. */
  setRollout(hostname: string, rollout: Rollout | null): void {
    const h = this.#findHostname(hostname);
    if (rollout && !this.world.regions.some((r) => r.name === rollout.region)) {
      throw new MeridianError(
        'MERIDIAN_GSLB_BAD_ROLLOUT',
        `rollout region "${rollout.region}" is not a region of the world`,
      );
    }
    this.publisher.setRollout(h.fqdn, rollout);
    this.log.info({ event: 'meridian:gslb:rollout', hostname: h.fqdn, rollout }, 'rollout changed');
  }

  /** The what-if for a hostname and client (IP, CIDR or network name) under the live health. */
  explain(name: string, client: string): Explanation {
    const policy = this.publisher.current;
    const spec = parseClientSpec(policy, client);
    if (!spec.ok) throw new MeridianError('MERIDIAN_GSLB_BAD_CLIENT', `client: ${spec.reason}`);
    const e = explainQuery(policy, name, spec.value);
    if (!e)
      throw new MeridianError(
        'MERIDIAN_GSLB_UNKNOWN_HOSTNAME',
        `"${name}" is not a hostname of ${this.world.zone}`,
      );
    return e;
  }

  /** GET /v1/state. */
  state(): Record<string, unknown> {
    const steering = this.publisher.current;
    const world = steering.world;
    const table = this.monitor.table();
    const probes = this.monitor.probeStatus();
    return {
      zone: world.zone,
      worldHash: world.hash,
      healthVersion: table.version,
      healthPublishedAtMs: table.publishedAtMs,
      regions: table.regions.map((r) => ({
        ...r,
        probe: probes.find((p) => p.region === r.name) ?? null,
      })),
      hostnames: world.hostnames.map((h) => ({
        name: h.fqdn,
        policy: h.policy,
        candidates: h.candidates,
        ttlSeconds: steering.hostnames[world.hostnames.indexOf(h)]?.ttlSeconds ?? h.ttlSeconds,
        whenAllDown: h.whenAllDown,
        rollout: h.rollout
          ? {
              ...h.rollout,
              percent: h.rollout.basisPoints / 100,
              overridden: steering.overrides.rollouts.has(h.fqdn),
            }
          : null,
      })),
      reloads: this.#reloads,
      counters: this.engine.counters(),
      udpIo: this.#udp?.ioUsed ?? null,
      udpIoFallback: this.#udp?.ioFallbackReason ?? null,
      udpBatch: this.#udp?.batchStats() ?? null,
    };
  }

  #findHostname(name: string) {
    const lower = name.toLowerCase().replace(/\.$/, '');
    const h = this.world.hostnames.find((x) => x.name === lower || x.fqdn === lower);
    if (!h)
      throw new MeridianError(
        'MERIDIAN_GSLB_UNKNOWN_HOSTNAME',
        `"${name}" is not a hostname of ${this.world.zone}`,
      );
    return h;
  }

  #queryLogger(engine: DnsEngine): DnsHandler {
    const log = this.log.child({ event: 'meridian:dns:query' });
    return {
      handle(q: DnsQuery, packet: Buffer, client: ClientAddress, transport: 'udp' | 'tcp') {
        const res = engine.handle(q, packet, client, transport);
        log.info({
          client: client.family === 4 ? client.bytes.join('.') : Buffer.from(client.bytes).toString('hex'),
          transport,
          name: q.hasQuestion ? nameText(packet, q.questionEnd - 4) : null,
          qtype: q.qtype,
          ecs: q.ecs
            ? `${q.ecsFamily === 1 ? Array.from(q.ecsAddress.subarray(0, 4)).join('.') : 'v6'}/${q.ecsSourcePrefix}`
            : null,
          rcode: res ? wire.RCODE_NAMES[res[3]! & 0xf] : 'dropped',
          bytes: res?.length ?? 0,
        });
        return res;
      },
      onError: (err) => engine.onError(err),
    };
  }
}

function nameText(packet: Buffer, end: number): string {
  const labels: string[] = [];
  let o = 12;
  while (o < end) {
    const l = packet[o]!;
    if (l === 0) break;
    labels.push(packet.toString('latin1', o + 1, o + 1 + l));
    o += l + 1;
  }
  return `${labels.join('.')}.`;
}
