// The fleet's health, consumed: reads every vantage's observations from the fleet's stream (an
// ordered consumer from each subject's latest observation), folds them into one verdict per
// region, and publishes an immutable HealthTable as HealthMonitor does, for steering to read.

import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { AckPolicy, DeliverPolicy, type JsMsg, jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { Registry } from 'prom-client';
import { type Clock, systemClock } from '../../core/index.js';
import type { HealthTable } from '../../health-table/index.js';
import type { World } from '../../world/index.js';
import type { FleetMatrix } from '../fleet-matrix.js';
import { FleetMetrics } from '../fleet-metrics.js';
import { defaultFleetName, type FleetSubjects, fleetSubjects } from '../fleet-subjects.js';
import { type FleetStateChange, FleetVerdicts } from '../fleet-verdicts.js';
import {
  DEFAULT_HEALTH_STREAM_LIMITS,
  type HealthStreamLimits,
  healthStreamConfig,
} from '../health-stream-config.js';
import { decodeObservation } from '../observation.js';
import { ensureHealthStream } from './ensure-health-stream.js';
import { NATS_LINK_EVENT, NatsLink, type NatsLinkEvent } from './nats-link.js';
import { replicasFor } from './replicas-for.js';

export interface FleetHealthConsumerOptions {
  readonly world: World;
  /** NATS servers (any of the cluster's). */
  readonly servers: readonly string[];
  /** Default: the world's zone with dots as dashes (`defaultFleetName`), as `meridian probe` uses. */
  readonly fleet?: string;
  readonly clock?: Clock;
  /** prom-client registry for the fleet metrics; a private one when omitted. */
  readonly registry?: Registry;
  /** NATS connection name (default `meridian-fleet-consumer`). */
  readonly name?: string;
  /** How often the matrix metrics and fail-static flags are refreshed (default 500 ms). */
  readonly tickMs?: number;
  /** Bounds of the stream if this consumer is the one to create it. */
  readonly streamLimits?: Partial<HealthStreamLimits>;
  /** The servers delete this instance's consumer after this long without it (default 5 min). */
  readonly consumerInactiveMs?: number;
  /** Replicas of this instance's consumer (default: the stream's, at most 3; 1 does not outlive its node). */
  readonly consumerReplicas?: number;
}

/** Where the consumer stands. */
export interface FleetConsumerStatus {
  readonly fleet: string;
  readonly stream: string;
  readonly connected: boolean;
  /** The server connected to (`127.0.0.1:4222`), or null. */
  readonly server: string | null;
  /** The name of the server holding the stream consumer (`n2`), or null. */
  readonly consumerServer: string | null;
  /** True once the consumer has read up to the end of the stream as it found it. */
  readonly caughtUp: boolean;
  readonly lastSequence: number;
  /** Local time the last observation was read, or null. */
  readonly lastMessageAtMs: number | null;
  /** Consumers created (the first one included). */
  readonly consumers: number;
}

/** Payload of `meridian:fleet:fail-static`. */
export interface FailStaticEvent {
  readonly region: string;
  /** True when the region lost its last fresh vantage (its verdict is kept), false when one is back. */
  readonly failStatic: boolean;
  readonly atMs: number;
}

export const FLEET_EVENTS = Object.freeze({
  /** `FleetStateChange`: a region's verdict changed (stream time in `atMs`). */
  stateChange: 'meridian:fleet:state-change',
  /** `FailStaticEvent`. */
  failStatic: 'meridian:fleet:fail-static',
  /** `{ mode, startSequence, error }`: a stream consumer was created, or failed and will be again. */
  consumer: 'meridian:fleet:consumer',
  /** `NatsLinkEvent`. */
  nats: NATS_LINK_EVENT,
  /** `{ error }`: an `onChange` listener threw (the others still ran). */
  listenerError: 'meridian:fleet:listener-error',
});

const NANOS_PER_MS = 1_000_000;
const API_TIMEOUT_MS = 2000;
const HEARTBEAT_MS = 1000;
const CONSUMER_NOT_FOUND = 10014;
/** How long the servers keep an instance's consumer without it (a restart or a long partition). */
const DEFAULT_CONSUMER_INACTIVE_MS = 5 * 60_000;

/**
 * Consumes a fleet's observations and keeps an immutable HealthTable of the verdicts, with the
 * lifecycle and read API of HealthMonitor (`start`, `stop`, `table`, `onChange`, `setWorld`,
 * `world`) so steering can read either. Nothing reading the table ever waits on NATS.
 *
 * - Start: this instance's own durable consumer of `meridian.<fleet>.health.>` (replicated like
 *   the stream, no acks) from each subject's latest observation (DeliverPolicy last-per-subject:
 *   one message per vantage × region, whatever the rate), stored without evaluation, then every
 *   region is evaluated once on all its views (`FleetVerdicts.settle`) and the first table is
 *   published; after that every observation is evaluated as it comes, in stream order.
 * - NATS lost or a node down: the client reconnects; a consumer whose leader went quiet is
 *   attached to again (its replicas elect another); a missing sequence is read again; a consumer
 *   the servers deleted is created again from the next sequence (or, after a gap or a recreated
 *   stream, from each subject's latest). Meanwhile the table stays as it was (fail static) and
 *   `matrix()` shows every vantage going stale (docs/decisions/0021).
 * - `matrix(nowMs)` is the vantage × region view for `/v1/state`; the metrics are refreshed from
 *   it every `tickMs`.
 */
export class FleetHealthConsumer extends EventEmitter {
  readonly #clock: Clock;
  readonly #subjects: FleetSubjects;
  readonly #link: NatsLink;
  readonly #metrics: FleetMetrics;
  readonly #opts: FleetHealthConsumerOptions;
  readonly #listeners = new Set<(t: HealthTable) => void>();
  #verdicts: FleetVerdicts;
  #table: HealthTable;
  #running = false;
  #loop: Promise<void> | null = null;
  #stopCurrent: ((why?: 'reattach' | 'recreate') => void) | null = null;
  #consumerName: string | null = null;
  readonly #instance = randomBytes(4).toString('hex');
  #cancelSleep: (() => void) | null = null;
  #cancelTick: (() => void) | null = null;
  #caughtUp = false;
  #catchingUp = false;
  #evaluateEach = true;
  /** The consumer delivers every sequence in order (not during a last-per-subject catch-up). */
  #contiguous = false;
  #lastMessageAtMs: number | null = null;
  #consumers = 0;
  #consumerServer: string | null = null;
  #failStatic = new Set<string>();
  #halt: () => void = () => {};
  #halted: Promise<null> = Promise.resolve(null);

  constructor(opts: FleetHealthConsumerOptions) {
    super();
    this.#opts = opts;
    this.#clock = opts.clock ?? systemClock;
    this.#subjects = fleetSubjects(opts.fleet ?? defaultFleetName(opts.world));
    this.#metrics = new FleetMetrics(opts.registry ?? new Registry());
    this.#verdicts = new FleetVerdicts(opts.world);
    this.#table = this.#buildTable(0);
    this.#link = new NatsLink({
      servers: opts.servers,
      name: opts.name ?? 'meridian-fleet-consumer',
      clock: this.#clock,
    });
    this.#link.on(NATS_LINK_EVENT, (e: NatsLinkEvent) => {
      this.#metrics.connected.set(this.#link.connected ? 1 : 0);
      this.emit(FLEET_EVENTS.nats, e);
    });
  }

  /** Starts connecting and consuming in the background; returns at once. Idempotent. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#halted = new Promise<null>((resolve) => {
      this.#halt = () => resolve(null);
    });
    this.#link.start();
    this.#loop = this.#run();
    this.#tick();
  }

  /** Stops consuming and closes NATS; the table keeps its last value. */
  async stop(): Promise<void> {
    this.#running = false;
    this.#halt();
    this.#cancelTick?.();
    this.#cancelSleep?.();
    this.#stopCurrent?.();
    await this.#loop;
    await this.#deleteConsumer(this.#link.connection());
    await this.#link.stop();
  }

  /** The latest published table (immutable). O(1). */
  table(): HealthTable {
    return this.#table;
  }

  /** Calls `fn` with every newly published table; returns the unsubscribe function. */
  onChange(fn: (t: HealthTable) => void): () => void {
    this.#listeners.add(fn);
    return () => {
      this.#listeners.delete(fn);
    };
  }

  /** The vantage × region matrix as of `nowMs` (default now). */
  matrix(nowMs = this.#clock.now()): FleetMatrix {
    return this.#verdicts.matrix(nowMs);
  }

  status(): FleetConsumerStatus {
    return {
      fleet: this.#subjects.fleet,
      stream: this.#subjects.stream,
      connected: this.#link.connected,
      server: this.#link.connection()?.getServer() ?? null,
      consumerServer: this.#consumerServer,
      caughtUp: this.#caughtUp,
      lastSequence: this.#verdicts.lastSequence,
      lastMessageAtMs: this.#lastMessageAtMs,
      consumers: this.#consumers,
    };
  }

  /** The fleet's subjects (stream name, filter). */
  get subjects(): FleetSubjects {
    return this.#subjects;
  }

  /** Switches to a reloaded world (regions, vantages, quorum, thresholds); publishes when regions changed. */
  setWorld(world: World): void {
    if (this.#verdicts.setWorld(world)) this.#publish();
  }

  world(): World {
    return this.#verdicts.world();
  }

  async #run(): Promise<void> {
    let failures = 0;
    while (this.#running) {
      // stop() must not wait for a connection that may never come
      const nc = await Promise.race([this.#link.whenConnected(), this.#halted]);
      if (!nc || !this.#running) return;
      try {
        const outcome = await this.#consume(nc);
        failures = outcome === 'recreate' ? 0 : failures;
        if (outcome === 'reattach') {
          // its leader is gone: attach again at once (a new leader takes a few seconds)
          if (this.#running) await this.#sleep(100);
          continue;
        }
      } catch (err) {
        failures++;
        if ((err as { code?: number })?.code === CONSUMER_NOT_FOUND) this.#consumerName = null;
        this.emit(FLEET_EVENTS.consumer, {
          mode: null,
          startSequence: null,
          error: (err as Error)?.message ?? String(err),
        });
      }
      if (this.#running) await this.#sleep(Math.min(2000, 250 * 2 ** Math.min(failures, 3)));
    }
  }

  /**
   * Attaches to this instance's consumer (creating it first when there is none, or after a
   * gap) and reads until it ends. `reattach`: its server stopped answering (heartbeats missed),
   * try the same consumer again; `recreate`: a gap in the sequence, start from the next one.
   */
  async #consume(nc: NatsConnection): Promise<'reattach' | 'recreate' | 'stopped'> {
    const js = jetstream(nc, { timeout: API_TIMEOUT_MS });
    if (this.#consumerName === null) await this.#createConsumer(nc);
    const consumer = await js.consumers.get(this.#subjects.stream, this.#consumerName!);
    const ci = await consumer.info(true);
    this.#consumerServer = ci.cluster?.leader ?? null;
    const end: { outcome: 'reattach' | 'recreate' | 'stopped'; stopping: boolean; stop: () => void } = {
      outcome: 'stopped',
      stopping: false,
      stop: () => {},
    };
    const finish = (why: 'reattach' | 'recreate' | 'stopped') => {
      if (end.stopping) return;
      end.stopping = true;
      end.outcome = why;
      end.stop();
    };
    let lastActivity = this.#clock.monotonic();
    const messages = await consumer.consume({
      max_messages: 256,
      expires: 3000,
      idle_heartbeat: HEARTBEAT_MS,
      abort_on_missing_resource: true,
      // after a stop, messages still in flight are dropped: they are read again from the next sequence
      callback: (m) => {
        lastActivity = this.#clock.monotonic();
        if (!end.stopping && this.#onMessage(m) === 'gap') finish('recreate');
      },
    });
    end.stop = () => messages.stop();
    this.#stopCurrent = (why) => finish(why ?? 'stopped');
    void (async () => {
      for await (const n of messages.status()) {
        if (n.type === 'heartbeat' || n.type === 'next') lastActivity = this.#clock.monotonic();
      }
    })().catch(() => {});
    // The server holding the consumer's leader sends a message or a heartbeat every second; when
    // neither came for 2.5 s that server is gone (the library may wait much longer to notice), so
    // attach again: the consumer's other replicas elect a new leader within seconds.
    let cancelWatch = (): void => {};
    const watch = (): void => {
      if (end.stopping) return;
      if (this.#link.connected && this.#clock.monotonic() - lastActivity > 2.5 * HEARTBEAT_MS) {
        finish('reattach');
        return;
      }
      if (!this.#link.connected) lastActivity = this.#clock.monotonic();
      cancelWatch = this.#clock.setTimeout(watch, HEARTBEAT_MS / 2);
    };
    watch();
    try {
      await messages.closed();
    } finally {
      cancelWatch();
      this.#stopCurrent = null;
      this.#consumerServer = null;
    }
    if (end.outcome === 'recreate') await this.#deleteConsumer(nc);
    return end.outcome;
  }

  /**
   * Creates this instance's consumer: a durable pull consumer with a replica on every stream
   * peer (up to 3), so that it outlives a NATS node, with no acks, deleted by the servers after
   * `consumerInactiveMs` without this instance. It starts after the last sequence applied when
   * the stream still has it, else from each subject's latest observation.
   */
  async #createConsumer(nc: NatsConnection): Promise<void> {
    const replicas = this.#opts.streamLimits?.replicas ?? replicasFor(nc);
    const info = await ensureHealthStream(
      nc,
      healthStreamConfig(this.#subjects, {
        ...DEFAULT_HEALTH_STREAM_LIMITS,
        replicas,
        ...this.#opts.streamLimits,
      }),
    );
    const last = this.#verdicts.lastSequence;
    if (info.state.last_seq < last) this.#verdicts.restartSequence(); // the stream was recreated
    const resume = last > 0 && info.state.last_seq >= last && info.state.first_seq <= last + 1;
    const name = `meridian-${this.#instance}-${this.#consumers + 1}`;
    const jsm = await jetstreamManager(nc, { timeout: API_TIMEOUT_MS, checkAPI: false });
    const ci = await jsm.consumers.add(this.#subjects.stream, {
      durable_name: name,
      description: `meridian fleet health consumer ${this.#opts.name ?? ''}`.trim(),
      ack_policy: AckPolicy.None,
      filter_subject: this.#subjects.all,
      num_replicas: this.#opts.consumerReplicas ?? Math.min(3, Math.max(1, info.config.num_replicas)),
      inactive_threshold: (this.#opts.consumerInactiveMs ?? DEFAULT_CONSUMER_INACTIVE_MS) * NANOS_PER_MS,
      ...(resume
        ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: last + 1 }
        : { deliver_policy: DeliverPolicy.LastPerSubject }),
    });
    this.#consumerName = name;
    this.#consumers++;
    if (this.#consumers > 1) this.#metrics.restarts.inc();
    this.emit(FLEET_EVENTS.consumer, {
      mode: resume ? 'resume' : 'latest',
      startSequence: resume ? last + 1 : null,
      error: null,
    });
    this.#evaluateEach = resume;
    this.#contiguous = resume;
    this.#catchingUp = ci.num_pending > 0;
    if (!this.#catchingUp) this.#finishCatchUp();
  }

  /** Deletes this instance's consumer (best effort: the servers drop it when inactive anyway). */
  async #deleteConsumer(nc: NatsConnection | null): Promise<void> {
    const name = this.#consumerName;
    this.#consumerName = null;
    if (!nc || !name || nc.isClosed()) return;
    try {
      const jsm = await jetstreamManager(nc, { timeout: 1000, checkAPI: false });
      await jsm.consumers.delete(this.#subjects.stream, name);
    } catch {
      // gone already, or NATS is not answering: its inactivity threshold removes it
    }
  }

  /** Applies one message; `gap` when messages before it were lost (the caller reads them again). */
  #onMessage(m: JsMsg): 'gap' | undefined {
    const last = this.#verdicts.lastSequence;
    if (this.#contiguous && last > 0 && m.seq > last + 1) {
      // the stream holds only this fleet's observations, so a jump means deliveries were lost
      // (in flight when a connection or a node went): read them again from the next sequence
      this.#metrics.gaps.inc();
      return 'gap';
    }
    this.#lastMessageAtMs = this.#clock.now();
    const decoded = decodeObservation(m.data);
    const named = this.#subjects.parse(m.subject);
    if (
      !decoded.ok ||
      !named ||
      named.vantage !== decoded.value.vantage ||
      named.region !== decoded.value.region
    ) {
      this.#metrics.observed('malformed');
    } else {
      const result = this.#verdicts.apply(
        { ...decoded.value, seq: m.seq, streamTimeMs: Math.floor(m.info.timestampNanos / NANOS_PER_MS) },
        this.#evaluateEach || !this.#catchingUp,
      );
      this.#metrics.observed(result === 'changed' ? 'applied' : result);
      if (result === 'changed' && !this.#catchingUp) this.#flushChanges();
    }
    if (this.#catchingUp && m.info.pending === 0) this.#finishCatchUp();
    return undefined;
  }

  #finishCatchUp(): void {
    this.#catchingUp = false;
    if (!this.#evaluateEach) this.#verdicts.settle();
    this.#evaluateEach = true;
    this.#contiguous = true;
    this.#caughtUp = true;
    this.#flushChanges();
  }

  #flushChanges(): void {
    const changes: FleetStateChange[] = this.#verdicts.takeChanges();
    if (changes.length === 0) return;
    for (const c of changes) {
      this.#metrics.stateChanges.inc({ region: c.region, to: c.to });
      this.emit(FLEET_EVENTS.stateChange, c);
    }
    this.#publish();
  }

  #publish(): void {
    this.#table = this.#buildTable(this.#table.version + 1);
    this.#metrics.tableVersion.set(this.#table.version);
    const table = this.#table;
    for (const fn of [...this.#listeners]) {
      try {
        fn(table);
      } catch (error) {
        this.emit(FLEET_EVENTS.listenerError, { error });
      }
    }
  }

  #buildTable(version: number): HealthTable {
    return Object.freeze({
      version,
      publishedAtMs: this.#clock.now(),
      regions: Object.freeze(this.#verdicts.regionHealth()),
    });
  }

  /** Refreshes the metrics and the fail-static flags from the matrix; runs until stop. */
  #tick(): void {
    if (!this.#running) return;
    const now = this.#clock.now();
    const m = this.#verdicts.matrix(now);
    this.#metrics.update(m);
    for (const r of m.regions) {
      const was = this.#failStatic.has(r.region);
      if (r.failStatic === was || !this.#caughtUp) continue;
      if (r.failStatic) this.#failStatic.add(r.region);
      else this.#failStatic.delete(r.region);
      this.emit(FLEET_EVENTS.failStatic, {
        region: r.region,
        failStatic: r.failStatic,
        atMs: now,
      } satisfies FailStaticEvent);
    }
    this.#cancelTick = this.#clock.setTimeout(() => this.#tick(), this.#opts.tickMs ?? 500);
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const cancel = this.#clock.setTimeout(() => {
        this.#cancelSleep = null;
        resolve();
      }, ms);
      this.#cancelSleep = () => {
        cancel();
        this.#cancelSleep = null;
        resolve();
      };
    });
  }
}
