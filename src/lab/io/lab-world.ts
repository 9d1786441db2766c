// The composition of `meridian up`: the world's programs under a supervisor, the latency
// links, the simulated users, statistics, the live view, the control endpoint and drills.
// The programs themselves (GSLB, home, regions) are given as child specs by the caller.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type Clock, MeridianError, systemClock } from '../../core/index.js';
import { loadAwsRttTable } from '../../geo/io/index.js';
import type { HealthTable } from '../../health-table/index.js';
import type { World } from '../../world/index.js';
import { type DrillControlPlane, drillActions } from '../drill-actions.js';
import { type DrillSpec, describeDrillEvent, planDrill } from '../drill-plan.js';
import { buildDrillReport } from '../drill-report.js';
import { type DrillLogEntry, DrillScheduler } from '../drill-scheduler.js';
import { formatLabRtts, type LabRtts, resolveLabRtts } from '../lab-rtts.js';
import { labWorkloadOf } from '../lab-workload.js';
import { planLatencyLinks } from '../latency-link-plan.js';
import { type LiveViewState, locationRows } from '../live-view.js';
import type { OptimumInput } from '../optimum-share.js';
import { regionRows } from '../region-rows.js';
import type { RequestRecord } from '../request-record.js';
import { StatsAggregator } from '../stats-aggregator.js';
import { diffWorlds, type WorldDiff } from '../world-diff.js';
import { GslbResolver } from './gslb-resolver.js';
import { DEFAULT_LAB_STATE_FILE, LabControlServer } from './lab-control-server.js';
import { LabLinks } from './lab-links.js';
import { LiveViewDriver } from './live-view-driver.js';
import { type ChildSpec, ProcessSupervisor } from './process-supervisor.js';
import { UserPopulation } from './user-population.js';
import { writeDrillReport } from './write-drill-report.js';

/**
 * The programs of the world. Each child gets an IPC channel and must send
 * `{ type: 'ready' }` once it listens (the GSLB adds `dnsPort`), and should exit when the
 * channel disconnects.
 */
export interface LabPrograms {
  /** The GSLB; `dnsPort` is where it should listen (0: any, reported in its ready message). */
  gslb(ctx: { readonly dnsPort: number }): ChildSpec;
  /** Home's services (config publisher, ingest …). */
  home(): readonly ChildSpec[];
  /**
   * One region; its process is named `region-<name>` whatever the spec says. `homeUrl(port)` is
   * home's `port` through the region's latency link.
   */
  region(name: string, homeUrl: (port: number) => string): ChildSpec;
}

export interface LabWorldOptions {
  readonly world: World;
  readonly worldFile: string;
  readonly programs: LabPrograms;
  readonly control: DrillControlPlane;
  /** The GSLB's latest health table, for the live view (optional). */
  readonly health?: () => HealthTable | undefined;
  /** Outbox backlog per region, for the live view (optional). */
  readonly backlog?: () => Readonly<Record<string, number>>;
  /** Home ports regions talk to (default `[home.port]`). */
  readonly homePorts?: readonly number[];
  readonly dnsPort?: number;
  /**
   * The hostname users resolve (default: that of the workload the world picks, `labWorkloadOf`:
   * the first hostname the regions serve whose workload the lab knows, links or profiles).
   */
  readonly hostname?: string;
  readonly logDir: string;
  readonly reportDir?: string;
  readonly stateFile?: string;
  /** How long to wait for each program's ready message (default 30 s). */
  readonly readyTimeoutMs?: number;
  /** Report window before a drill's first event and after its last (default 10 s, 20 s). */
  readonly reportLeadMs?: number;
  readonly reportTailMs?: number;
  /** Journeys per population (default unbounded), for tests. */
  readonly maxJourneysPerPopulation?: number;
  readonly onRecord?: (r: RequestRecord) => void;
  /** Called with every program's ready message (also after a restart). */
  readonly onReady?: (name: string, message: Readonly<Record<string, unknown>>) => void;
  /** Runs once home is ready, before the regions start (create the lab's partner …). */
  readonly afterHome?: () => Promise<void>;
  /** After a reload has started and stopped regions (tell the GSLB to reload …). */
  readonly onWorldApplied?: (world: World, diff: WorldDiff) => Promise<void> | void;
  /** Runs once every region is ready, before the users start (wait until they are warm …). */
  readonly beforeUsers?: () => Promise<void>;
  /** Where to draw the live view once a second (a terminal); none when absent. */
  readonly liveOut?: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly onReport?: (paths: { json: string; html: string }) => void;
  readonly clock?: Clock;
}

/** `start()` brings the world up in order; `stop()` takes everything down. */
export class LabWorld {
  readonly #o: LabWorldOptions;
  readonly #clock: Clock;
  readonly supervisor: ProcessSupervisor;
  readonly stats: StatsAggregator;
  #links: LabLinks | undefined;
  #resolvers: GslbResolver[] = [];
  #populations = new Map<string, UserPopulation>();
  #controlServer: LabControlServer | undefined;
  #drillLog: DrillLogEntry[] = [];
  #schedulers = new Set<DrillScheduler>();
  #drills = 0;
  #readyWaiters = new Map<string, (m: Record<string, unknown>) => void>();
  #ready = new Map<string, Record<string, unknown>>();
  #startedAtMs = 0;
  #pendingReports = new Set<Promise<void>>();
  /** Ends the tail wait of every pending report now (on stop, so no report is lost). */
  #cutTails = new Set<() => void>();
  #stopping = false;
  #liveView: LiveViewDriver | undefined;
  #rtts: LabRtts | undefined;
  #world: World;
  #dnsPort = 0;
  #reloads: Promise<unknown> = Promise.resolve();
  readonly #onSignal = (signal: NodeJS.Signals) => {
    void this.stop().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  readonly #onExit = () => {
    this.supervisor.killAllNow();
    if (this.#controlServer) rmSync(this.#o.stateFile ?? DEFAULT_LAB_STATE_FILE, { force: true });
  };

  constructor(options: LabWorldOptions) {
    this.#o = options;
    this.#world = options.world;
    this.#clock = options.clock ?? systemClock;
    this.#startedAtMs = this.#clock.now();
    this.stats = new StatsAggregator({ originMs: this.#startedAtMs });
    this.supervisor = new ProcessSupervisor({
      logDir: options.logDir,
      onMessage: (name, m) => {
        if (m && typeof m === 'object' && (m as { type?: unknown }).type === 'ready') {
          this.#ready.set(name, m as Record<string, unknown>);
          options.onReady?.(name, m as Record<string, unknown>);
          this.#readyWaiters.get(name)?.(m as Record<string, unknown>);
        }
      },
    });
  }

  get populations(): ReadonlyMap<string, UserPopulation> {
    return this.#populations;
  }

  get links(): LabLinks | undefined {
    return this.#links;
  }

  get controlUrl(): string | undefined {
    return this.#controlServer?.url;
  }

  get drillLog(): readonly DrillLogEntry[] {
    return this.#drillLog;
  }

  /** The world as last applied (the start-up world, then each reload). */
  get world(): World {
    return this.#world;
  }

  async start(): Promise<void> {
    const { programs } = this.#o;
    const world = this.#world;
    const gslb = await this.#startAndWait(programs.gslb({ dnsPort: this.#o.dnsPort ?? 0 }));
    const dnsPort = Number(gslb.dnsPort);
    if (!(dnsPort > 0)) {
      throw new MeridianError('MERIDIAN_LAB_SPAWN_FAILED', `the GSLB's ready message has no dnsPort`);
    }
    this.#dnsPort = dnsPort;
    const links = new LabLinks(this.#planLinks(world));
    this.#links = links;
    await links.start();
    for (const spec of programs.home()) await this.#startAndWait(spec);
    await this.#o.afterHome?.();
    await Promise.all(world.regions.map((r) => this.#startRegion(world, r.name)));
    await this.#o.beforeUsers?.();
    await this.startUsers();
    this.#controlServer = new LabControlServer({
      regions: () => this.#world.regions.map((r) => r.name),
      networks: () => this.#world.networks.map((n) => n.name),
      worldFile: this.#o.worldFile,
      ...(this.#o.stateFile ? { stateFile: this.#o.stateFile } : {}),
      handlers: { drill: (spec) => this.drill(spec), status: () => this.status() },
    });
    await this.#controlServer.start();
    if (this.#o.liveOut) {
      this.#liveView = new LiveViewDriver({
        state: () => this.liveState(),
        out: this.#o.liveOut,
        clock: this.#clock,
      });
      this.#liveView.start();
    }
  }

  /**
   * Applies a new world to the running lab without restarting it (see `diffWorlds`): starts the
   * links and the process of each added region and waits until it is ready, stops removed
   * ones, replaces moved ones, then calls `onWorldApplied` (the GSLB reloads). Reloads run one
   * at a time. A world that changes home or zone is refused (MERIDIAN_LAB_RELOAD_UNSUPPORTED)
   * and the running world stays.
   */
  applyWorld(next: World): Promise<WorldDiff> {
    const run = this.#reloads.then(
      () => this.#apply(next),
      () => this.#apply(next),
    );
    this.#reloads = run.catch(() => {});
    return run;
  }

  async #apply(next: World): Promise<WorldDiff> {
    const before = this.#world;
    const diff = diffWorlds(before, next);
    if (diff.unsupported.length > 0) {
      throw new MeridianError(
        'MERIDIAN_LAB_RELOAD_UNSUPPORTED',
        `cannot apply this world without a restart: ${diff.unsupported.join('; ')}`,
      );
    }
    const links = this.#links;
    if (!links) throw new MeridianError('MERIDIAN_LAB_RELOAD_UNSUPPORTED', 'the lab is not running');
    const stopping = [...diff.removed, ...diff.replaced];
    for (const name of stopping) {
      await this.supervisor.stop(`region-${name}`);
      await links.remove(
        (p) => (p.kind === 'user' && p.to === name) || (p.kind === 'home' && p.from === name),
      );
    }
    const starting = new Set([...diff.added, ...diff.replaced]);
    if (starting.size > 0) {
      const plan = this.#planLinks(next).filter(
        (p) => (p.kind === 'user' && starting.has(p.to)) || (p.kind === 'home' && starting.has(p.from)),
      );
      await links.add(plan);
    }
    this.#world = next;
    await Promise.all([...starting].map((name) => this.#startRegion(next, name)));
    await this.#o.onWorldApplied?.(next, diff);
    return diff;
  }

  #planLinks(world: World) {
    const home = world.regions.find((r) => r.isHome)!;
    const rtts = resolveLabRtts(world, loadAwsRttTable());
    this.#rtts = rtts;
    return planLatencyLinks(world, rtts, {
      gslb: { host: '127.0.0.1', port: this.#dnsPort },
      homePorts: this.#o.homePorts ?? [home.port],
    });
  }

  async #startRegion(world: World, name: string): Promise<Record<string, unknown>> {
    const home = world.regions.find((r) => r.isHome)!;
    const links = this.#links!;
    return this.#startAndWait({
      ...this.#o.programs.region(name, (port) => {
        if (name === home.name) return `http://${home.address}:${port}`;
        const a = links.homeFor(name, port);
        if (!a) {
          throw new MeridianError('MERIDIAN_LAB_SPAWN_FAILED', `no link from ${name} to home port ${port}`);
        }
        return `http://${a.host}:${a.port}`;
      }),
      // Drills and the live view find a region's process by this name.
      name: `region-${name}`,
    });
  }

  /** Starts one population per `lab.users` entry (again after `stopUsers()`). */
  async startUsers(): Promise<void> {
    const world = this.#world;
    const links = this.#links;
    if (!links || this.#populations.size > 0) return;
    const workload = labWorkloadOf(world);
    const hostname = this.#o.hostname ?? workload?.hostname.fqdn;
    if (!hostname)
      throw new MeridianError(
        'MERIDIAN_LAB_SPAWN_FAILED',
        'the world has no hostname for a workload the lab runs (links or profiles)',
      );
    for (const [network, users] of Object.entries(world.lab.users)) {
      const net = world.networks.find((n) => n.name === network);
      const dns = links.dnsFor(network);
      if (!net || !dns) continue;
      const resolver = new GslbResolver({
        serverHost: dns.host,
        serverPort: dns.port,
        subnet: net.cidr,
        order: world.lab.resolverOrder,
        clock: this.#clock,
      });
      await resolver.start();
      this.#resolvers.push(resolver);
      const pop = new UserPopulation({
        location: network,
        hostname,
        resolver,
        route: links.routesFor(network),
        rps: users.rps,
        journey: workload?.name ?? 'links',
        ...(this.#o.maxJourneysPerPopulation ? { maxJourneys: this.#o.maxJourneysPerPopulation } : {}),
        clock: this.#clock,
        onRecord: (r) => {
          this.stats.record(r);
          this.#o.onRecord?.(r);
        },
      });
      this.#populations.set(network, pop);
      pop.start();
    }
  }

  /** Stops the simulated users (their in-flight journeys finish or fail) and their resolvers. */
  async stopUsers(): Promise<void> {
    const pops = [...this.#populations.values()];
    this.#populations.clear();
    await Promise.all(pops.map((p) => p.stop()));
    const resolvers = this.#resolvers;
    this.#resolvers = [];
    await Promise.all(resolvers.map((r) => r.stop()));
  }

  /** On SIGINT/SIGTERM: stop everything, then exit (130/143); on exit: SIGKILL what is left. */
  stopOnSignals(): void {
    process.once('SIGINT', this.#onSignal);
    process.once('SIGTERM', this.#onSignal);
    process.once('exit', this.#onExit);
  }

  /** Where everything listens and the round trips it plays out, for printing at start-up. */
  summary(): string {
    const lines: string[] = [];
    for (const c of this.supervisor.list()) lines.push(`${c.name.padEnd(24)} pid ${c.pid}  log ${c.logPath}`);
    for (const r of this.#world.regions) {
      lines.push(`region ${r.name.padEnd(17)} http://${r.address}:${r.port}${r.isHome ? '  (home)' : ''}`);
    }
    if (this.#controlServer) lines.push(`control                  ${this.#controlServer.url}`);
    if (this.#rtts) lines.push('', formatLabRtts(this.#rtts));
    return lines.join('\n');
  }

  /** Runs a drill now; its report is written when it ends (after the tail). */
  async drill(spec: DrillSpec): Promise<{ id: string; timeline: ReturnType<typeof planDrill> }> {
    const timeline = planDrill(spec);
    this.#drills += 1;
    const id = `drill-${this.#drills}`;
    const startedAt = this.#clock.now();
    const scheduler = new DrillScheduler(
      this.#clock,
      drillActions({
        processes: this.supervisor,
        control: this.#o.control,
        homeProcesses: this.#o.programs.home().map((s) => s.name),
        paths: {
          addRtt: (network, region, addMs) => {
            const address = this.#world.regions.find((r) => r.name === region)?.address;
            if (!address || !this.#links) throw new Error(`no latency links to region ${region}`);
            this.#links.addRtt(network, address, addMs);
          },
        },
      }),
      timeline,
      (e) => this.#drillLog.push(e),
    );
    this.#schedulers.add(scheduler);
    scheduler.start();
    const title = describeSpec(spec);
    const report = (async () => {
      await scheduler.whenDone();
      await new Promise<void>((resolve) => {
        if (this.#stopping) return resolve();
        const done = () => {
          cancel();
          this.#cutTails.delete(done);
          resolve();
        };
        const cancel = this.#clock.setTimeout(done, this.#o.reportTailMs ?? 20_000);
        this.#cutTails.add(done);
      });
      this.#schedulers.delete(scheduler);
      const paths = await writeDrillReport(
        buildDrillReport({
          title,
          zone: this.#world.zone,
          worldHash: this.#world.hash,
          regions: this.#world.regions.map((r) => r.name),
          stats: this.stats,
          log: scheduler.log,
          fromMs: startedAt - (this.#o.reportLeadMs ?? 10_000),
          endedAtMs: this.#clock.now(),
          ...this.#optimumInput(),
        }),
        this.#o.reportDir,
      );
      this.#o.onReport?.(paths);
    })();
    this.#pendingReports.add(report);
    void report.finally(() => this.#pendingReports.delete(report));
    return { id, timeline: timeline.map((e) => ({ ...e })) };
  }

  /** What the report needs to say how close users were to their truly best region. */
  #optimumInput(): { optimum?: Omit<OptimumInput, 'events'> } {
    const rtts = this.#rtts;
    const served = labWorkloadOf(this.#world)?.hostname;
    if (!rtts || !served) return {};
    return {
      optimum: {
        candidates: served.candidates,
        plannedRttMs: (location, region) => rtts.user(location, region)?.rttMs,
      },
    };
  }

  /** Resolves when every drill started so far has written its report. */
  async reportsWritten(): Promise<void> {
    await Promise.all([...this.#pendingReports]);
  }

  /** The live view's state now. */
  liveState(windowSeconds = 5): LiveViewState {
    const now = this.#clock.now();
    const end = this.stats.secondOf(now) - 1;
    const processes = Object.fromEntries(
      this.#world.regions.map((r) => [r.name, this.supervisor.status(`region-${r.name}`)?.state ?? 'exited']),
    );
    const health = this.#o.health?.();
    const backlog = this.#o.backlog?.();
    return {
      title: `meridian up · ${this.#world.zone}`,
      elapsedSeconds: (now - this.#startedAtMs) / 1000,
      windowSeconds,
      locations: locationRows(this.stats, end, windowSeconds),
      regions: regionRows({
        world: this.#world,
        processes,
        share: this.stats.regionShare(end, windowSeconds),
        ...(health ? { health } : {}),
        ...(backlog ? { backlog } : {}),
      }),
      events: this.#drillLog.slice(-5).map((e) => {
        const s = Math.round((e.atMs - this.#startedAtMs) / 1000);
        return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')} ${describeDrillEvent(e.event)}${e.ok ? '' : ` (failed: ${e.error})`}`;
      }),
    };
  }

  status(): unknown {
    return {
      live: this.liveState(),
      processes: this.supervisor.list(),
      populations: Object.fromEntries([...this.#populations].map(([n, p]) => [n, p.counts])),
    };
  }

  async stop(): Promise<void> {
    this.#liveView?.stop();
    process.off('SIGINT', this.#onSignal);
    process.off('SIGTERM', this.#onSignal);
    process.off('exit', this.#onExit);
    this.#stopping = true;
    for (const s of this.#schedulers) s.stop();
    for (const cut of [...this.#cutTails]) cut();
    await this.reportsWritten();
    await this.#controlServer?.stop();
    await this.stopUsers();
    await this.#links?.stop();
    await this.supervisor.stopAll();
  }

  async #startAndWait(spec: ChildSpec): Promise<Record<string, unknown>> {
    const name = spec.name;
    const log = join(this.#o.logDir, `${name}.log`);
    const timeoutMs = this.#o.readyTimeoutMs ?? 30_000;
    this.#ready.delete(name);
    let fail: (err: Error) => void = () => {};
    let cancel: () => void = () => {};
    const ready = new Promise<Record<string, unknown>>((resolve, reject) => {
      fail = reject;
      this.#readyWaiters.set(name, (m) => {
        cancel();
        this.#readyWaiters.delete(name);
        resolve(m);
      });
      cancel = this.#clock.setTimeout(
        () =>
          reject(
            new MeridianError(
              'MERIDIAN_LAB_SPAWN_FAILED',
              `"${name}" did not report ready within ${timeoutMs} ms; see ${log}`,
            ),
          ),
        timeoutMs,
      );
    });
    await this.supervisor.start(spec);
    void this.supervisor.waitForExit(name).then(() => {
      if (this.#ready.has(name)) return;
      cancel();
      fail(
        new MeridianError(
          'MERIDIAN_LAB_SPAWN_FAILED',
          `"${name}" exited before it was ready${lastLine(log)}; see ${log}`,
        ),
      );
    });
    return ready;
  }
}

/** The log's last non-empty line (a program's one-line error), as `: line`, or nothing. */
function lastLine(path: string): string {
  try {
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    const last = lines[lines.length - 1]?.trim();
    return last ? `: ${last.slice(0, 300)}` : '';
  } catch {
    return '';
  }
}

function describeSpec(spec: DrillSpec): string {
  const forText = 'forMs' in spec && spec.forMs !== undefined ? ` --for ${spec.forMs / 1000}s` : '';
  switch (spec.kind) {
    case 'rollout':
      return `rollout ${spec.region} --steps ${spec.steps.join(',')} --every ${spec.everyMs / 1000}s`;
    case 'home-down':
      return `home-down${forText}`;
    case 'config-source-down':
      return `config-source-down${spec.mode === 'corrupt' ? ' --corrupt' : ''}${forText}`;
    case 'latency':
      return `latency ${spec.network} ${spec.region} --add ${spec.addMs}ms${forText}`;
    case 'slow':
      return `slow ${spec.region} --add ${spec.addMs}ms${forText}`;
    default:
      return `${spec.kind} ${spec.region}${forText}`;
  }
}
