// The `meridian dns` program: the world file, the health source (the monitor, or the fleet in
// fleet mode), the steering publisher, the DNS engine, the UDP and TCP listeners and the admin
// API, wired once. Reload validates first; the publisher then swaps world and health together.
import pino, { type Logger } from 'pino';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { type Clock, MeridianError, type Random, systemClock, systemRandom } from '../core/index.js';
import {
  bucketText,
  type ClientAddress,
  DnsEngine,
  type DnsHandler,
  type DnsQuery,
  wire,
} from '../dns/index.js';
import { TcpServer, type UdpIo, UdpServer } from '../dns/io/index.js';
import { checkAdminExposure, type HttpLimitOverrides } from '../http/index.js';
import { HealthMonitor, MONITOR_EVENTS, type Probe } from '../monitor/index.js';
import { HealthCheckProbe } from '../monitor/io/index.js';
import type { DrainFloorVerdict } from '../operator-state/index.js';
import {
  ClientClassification,
  ClientLocator,
  type Explanation,
  explainQuery,
  type GeoLookup,
  parseClientSpec,
} from '../policy/index.js';
import type { Rollout, World } from '../world/index.js';
import { loadWorldInWorker } from '../world/io/index.js';
import { type AdminApi, buildAdminApi } from './admin-api.js';
import { type DrainAsk, DrainGuard } from './drain-guard.js';
import { FleetMode } from './fleet-mode.js';
import { GslbMetrics } from './gslb-metrics.js';
import { modifiedSeconds } from './io/modified-seconds.js';
import { watchFile } from './io/watch-file.js';
import { SoaSerials } from './soa-serials.js';
import { SteeringPublisher } from './steering-publisher.js';

export interface HostPort {
  host: string;
  port: number;
}

export const DEFAULT_LISTEN: HostPort = { host: '127.0.0.1', port: 8053 };
export const DEFAULT_ADMIN: HostPort = { host: '127.0.0.1', port: 8054 };
/** How many errors of an invalid world a reload logs and returns (`meridian lint` lists all). */
export const RELOAD_ERRORS_LISTED = 100;

/** GET /v1/decisions: recent actual answers to one client (network or /24 bucket) for one hostname. */
export interface DecisionsAnswer {
  readonly hostname: string;
  readonly client: string;
  /** `network:<name>` or `subnet:<a.b.c.0/24>` (`…::/56`). */
  readonly locatedAs: string;
  /** The regions of the most recently seen answer ([] when none was counted). */
  readonly regions: readonly string[];
  readonly answers: readonly {
    regions: readonly string[];
    count: number;
    reasons: readonly string[];
    lastSeenMs: number;
    lastSeen: string;
  }[];
}

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
  /** Export prom-client's default process and Node metrics on /metrics (`meridian dns` does). */
  processMetrics?: boolean;
  clock?: Clock;
  random?: Random;
  probe?: Probe;
  /** Log every query at info level (costly: off by default). */
  queryLog?: boolean;
  /** Keep the decision log behind GET /v1/decisions (default true). */
  decisionLog?: boolean;
  /** Reload when the world file changes (default true). */
  watch?: boolean;
  /** DNS TCP limits (see TcpServerOptions in src/dns). */
  tcpIdleTimeoutMs?: number;
  tcpMessageTimeoutMs?: number;
  tcpMaxConnections?: number;
  tcpMaxConnectionsPerClient?: number;
  /** UDP datagram I/O: `auto` (default: the batch addon when built, else node:dgram), `batch`, `dgram`. */
  udpIo?: UdpIo;
  /**
   * Fleet mode (`meridian dns --nats`): health from the fleet's vantages and drains, rollouts and
   * the SOA serial from its operator-state bucket, instead of own probes and in-memory overrides.
   */
  fleet?: { servers: readonly string[]; name?: string };
}

/** What the GSLB reads health from: its own HealthMonitor, or the fleet (FleetMode). */
export type GslbHealth = Pick<
  HealthMonitor,
  'table' | 'onChange' | 'setWorld' | 'start' | 'stop' | 'probeStatus'
>;

/** How long `start()` waits for the fleet's operator state before answering without it. */
export const FLEET_START_WAIT_MS = 3000;

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
  #monitor: GslbHealth | null = null;
  #fleet: FleetMode | null = null;
  /** The world as loaded (no serial stamped): what fleet mode derives its world from. */
  #rawWorld: World | null = null;
  #engine: DnsEngine | null = null;
  #udp: UdpServer | null = null;
  #tcp: TcpServer | null = null;
  #admin: AdminApi | null = null;
  #metrics: GslbMetrics | null = null;
  #drains: DrainGuard | null = null;
  readonly #serials = new SoaSerials();
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
    if (opts.processMetrics) collectDefaultMetrics({ register: this.registry });
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

  get monitor(): GslbHealth {
    if (!this.#monitor) throw new MeridianError('MERIDIAN_GSLB_NOT_STARTED', 'the GSLB is not started');
    return this.#monitor;
  }

  /** Drains under the floor (drain.minServing), previews, and the record of who did what. */
  get drains(): DrainGuard {
    if (!this.#drains) throw new MeridianError('MERIDIAN_GSLB_NOT_STARTED', 'the GSLB is not started');
    return this.#drains;
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
    const mtime = await modifiedSeconds(opts.worldPath);
    const raw = await loadWorldInWorker(opts.worldPath);
    this.#rawWorld = raw;
    let world = this.#serials.stamp(raw, mtime, 'world file modification time');
    this.#fileWorld = world;
    const clock: Clock = opts.clock ?? systemClock;
    const random: Random = opts.random ?? systemRandom;
    let monitor: GslbHealth;
    if (opts.fleet) {
      const fleet = this.#startFleet(world, opts.fleet, clock);
      await Promise.race([
        fleet.store.whenCaughtUp(),
        new Promise((r) => clock.setTimeout(() => r(null), FLEET_START_WAIT_MS)),
      ]);
      world = fleet.served(raw, world.dns.serial);
      monitor = fleet;
    } else {
      const own = new HealthMonitor({
        world,
        clock,
        random,
        registry: this.registry,
        probe: opts.probe ?? new HealthCheckProbe(),
      });
      own.on(MONITOR_EVENTS.stateChange, (e) =>
        this.log.info({ event: MONITOR_EVENTS.stateChange, ...e }, `region ${e.region} ${e.from} → ${e.to}`),
      );
      own.on(MONITOR_EVENTS.drain, (e) =>
        this.log.info(
          { event: MONITOR_EVENTS.drain, ...e },
          `region ${e.region} ${e.drained ? 'drained' : 'undrained'}`,
        ),
      );
      monitor = own;
    }
    const publisher = new SteeringPublisher({
      world,
      health: monitor.table(),
      geo: opts.geo ?? null,
      random,
    });
    const engine = new DnsEngine({
      steering: publisher.current,
      onError: (err) => this.log.error({ err, event: 'meridian:dns:error' }, 'query failed'),
      decisionLog: opts.decisionLog ?? true,
    });
    this.#monitor = monitor;
    this.#publisher = publisher;
    this.#engine = engine;
    this.#drains = new DrainGuard({
      world: () => this.world,
      steering: () => this.publisher.current,
      drain: (region) => this.drain(region),
      undrain: (region) => this.undrain(region),
      clock,
      onRecord: (r) =>
        this.log.info({ event: 'meridian:gslb:operator', ...r }, `${r.action} ${r.target} by ${r.who}`),
    });
    this.#metrics = new GslbMetrics(
      this.registry,
      () => this.engine,
      () => this.monitor.table().version,
      { udp: () => this.#udp?.drops() ?? null, tcp: () => this.#tcp?.stats() ?? null },
    );
    const unpublish = publisher.subscribe((s) => engine.publish(s));
    // the monitor, or the fleet's verdicts with the bucket's drains applied: one seam (decision 0022)
    const unfollow = publisher.follow(monitor);
    // the decision log's clock: stamped on answers, read here 4 times a second, not per query
    const ticker = setInterval(() => engine.tick(clock.now()), 250);
    ticker.unref();
    engine.tick(clock.now());
    this.#unsubscribe = () => {
      clearInterval(ticker);
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
    let loaded: { world: World; mtime: number } | null = null;
    try {
      const options = { signal: this.#stopping.signal, maxErrorsListed: RELOAD_ERRORS_LISTED };
      const mtime = await modifiedSeconds(this.#opts.worldPath);
      loaded = { world: await loadWorldInWorker(this.#opts.worldPath, options), mtime };
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
    if (loaded.world.hash === this.#fileWorld?.hash) {
      this.log.info(
        { event: 'meridian:gslb:reload', why, hash: loaded.world.hash, changed: false },
        'world file unchanged',
      );
      this.#metrics?.reloads.inc({ result: 'ok' });
      this.#reloads.ok += 1;
      return { ok: true, hash: loaded.world.hash };
    }
    // indexing 20 000 networks takes long: in slices, answering queries in between
    const stamped = this.#serials.stamp(loaded.world, loaded.mtime, 'world file modification time');
    const world = this.#fleet ? this.#fleet.served(loaded.world, stamped.dns.serial) : stamped;
    const locator = await ClientLocator.build(world, this.#opts.geo ?? null);
    if (this.#stopping.signal.aborted) return { ok: false, errors: ['the server is stopping'] };
    this.#fileWorld = stamped;
    this.#rawWorld = loaded.world;
    if (this.#fleet) this.#adoptWorld(world.hash);
    // the new world waits for a table of its regions, which the health source hands over in
    // setWorld; the runtime rollouts are cleared (the file is the truth again)
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
    this.#ownMonitor('drain').drain(region);
  }

  undrain(region: string): void {
    this.#ownMonitor('undrain').undrain(region);
  }

  /** This instance's own monitor; in fleet mode drains go through the bucket (`requestDrain`). */
  #ownMonitor(what: string): HealthMonitor {
    if (this.#monitor instanceof HealthMonitor) return this.#monitor;
    throw new MeridianError(
      'MERIDIAN_GSLB_FLEET_MODE',
      `${what} is made through the fleet's operator-state bucket in fleet mode: use requestDrain/requestUndrain`,
    );
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

  /**
   * GET /v1/decisions: the recent actual answers for `name` to `client` (an IP, CIDR or network
   * name) from the decision log, by the network the client maps to or else its /24 (/56) bucket;
   * most recently seen first. Null when the decision log is off.
   */
  decisions(name: string, client: string): DecisionsAnswer | null {
    const engine = this.engine;
    if (!engine.decisionLogEnabled) return null;
    const steering = this.publisher.current;
    const spec = parseClientSpec(steering, client);
    if (!spec.ok) throw new MeridianError('MERIDIAN_GSLB_BAD_CLIENT', `client: ${spec.reason}`);
    const lower = name.toLowerCase().replace(/\.$/, '');
    const hostname = steering.world.hostnames.find((h) => h.name === lower || h.fqdn === lower);
    if (!hostname)
      throw new MeridianError(
        'MERIDIAN_GSLB_UNKNOWN_HOSTNAME',
        `"${name}" is not a hostname of ${this.world.zone}`,
      );
    const located = new ClientClassification();
    const classId = steering.locator.locate(
      spec.value.family,
      spec.value.bytes,
      spec.value.prefixLength,
      located,
    );
    const cls = steering.locator.classes[classId];
    const where =
      cls?.source === 'network' ? cls.key : `subnet:${bucketText(spec.value.family, spec.value.bytes)}`;
    const answers = engine
      .decisionRecords()
      .filter((r) => r.hostname === hostname.fqdn && r.where === where)
      .sort((a, b) => b.lastSeenMs - a.lastSeenMs)
      .map((r) => ({
        regions: r.regions,
        count: r.count,
        reasons: r.reasons,
        lastSeenMs: r.lastSeenMs,
        lastSeen: new Date(r.lastSeenMs).toISOString(),
      }));
    return {
      hostname: hostname.fqdn,
      client,
      locatedAs: where,
      regions: answers[0]?.regions ?? [],
      answers,
    };
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
      soa: {
        serial: this.engine.snapshot.zone.soaSerial,
        source: this.#fleet?.servesFleetSerial(world) ? 'fleet revision' : this.#serials.source,
      },
      fleet: this.#fleet?.state() ?? null,
      drainFloor: { minServing: world.drain.minServing },
      operatorRecords: this.#fleet ? this.#fleet.store.state().recent : (this.#drains?.records() ?? []),
      reloads: this.#reloads,
      counters: this.engine.counters(),
      udpIo: this.#udp?.ioUsed ?? null,
      udpIoFallback: this.#udp?.ioFallbackReason ?? null,
      udpBatch: this.#udp?.batchStats() ?? null,
    };
  }

  /** A drain under the floor: through the fleet's bucket in fleet mode, else this instance's monitor. */
  async requestDrain(region: string, ask: DrainAsk): Promise<DrainFloorVerdict> {
    return this.#fleet ? this.#fleet.drain(this.world, region, ask) : this.drains.drain(region, ask);
  }

  async requestUndrain(region: string, ask: Omit<DrainAsk, 'force'>): Promise<void> {
    if (this.#fleet) await this.#fleet.undrain(this.world, region, ask);
    else this.drains.undrain(region, ask);
  }

  /** A rollout override: for the whole fleet in fleet mode, else until the next reload of a changed file. */
  async requestRollout(
    hostname: string,
    rollout: Rollout | null,
    ask: Omit<DrainAsk, 'force'>,
  ): Promise<void> {
    if (this.#fleet)
      return this.#fleet.setRollout(this.world, this.#findHostname(hostname).fqdn, rollout, ask);
    this.setRollout(hostname, rollout);
    this.drains.record({
      action: 'rollout',
      target: hostname,
      who: ask.who,
      reason: ask.reason ?? null,
      forced: false,
    });
  }

  #startFleet(world: World, opts: { servers: readonly string[]; name?: string }, clock: Clock): FleetMode {
    const fleet = new FleetMode({
      world,
      servers: opts.servers,
      ...(opts.name ? { fleet: opts.name } : {}),
      clock,
      registry: this.registry,
      onOperatorState: () => this.#applyFleet(),
      onCheckError: (err) =>
        this.log.error({ err, event: 'meridian:gslb:fleet-check-failed' }, 'fleet check failed'),
      onFailStatic: (on) => {
        this.log.warn(
          {
            event: 'meridian:gslb:fail-static',
            failStatic: on,
            reasons: this.#fleet?.state().failStaticReasons,
          },
          on ? 'fleet state unreachable: answering from the last state, TTLs capped' : 'fleet state back',
        );
        this.#applyFleet();
      },
    });
    this.#fleet = fleet;
    fleet.start();
    this.#adoptWorld(world.hash);
    return fleet;
  }

  #adoptWorld(hash: string): void {
    this.#fleet?.adoptWorld(hash, `meridian dns ${process.pid}`, (err) =>
      this.log.warn(
        { event: 'meridian:gslb:adopt-world-failed', error: (err as Error).message },
        'world not recorded in the fleet',
      ),
    );
  }

  /**
   * Re-derives the served world from the bucket (rollouts, serial, fail-static TTL cap) and hands
   * it to the publisher with the current locator; the fleet's regions are the file's, so the
   * latest table still matches and the world is published at once.
   */
  #applyFleet(): void {
    if (!this.#publisher || !this.#fleet || !this.#rawWorld) return;
    // #rawWorld moves with the publisher's world (in #reload), so the locator is of its networks
    const world = this.#fleet.served(this.#rawWorld, this.#fileWorld?.dns.serial);
    this.#publisher.setWorld(world, this.#publisher.current.locator);
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
