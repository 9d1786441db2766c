// One vantage's prober: probes every region of the world on the monitor's schedule and publishes
// each raw result to the fleet's health stream. Loses observations, never itself, when NATS goes.
import { EventEmitter } from 'node:events';
import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { Registry } from 'prom-client';
import { type Clock, MeridianError, type Random, systemClock } from '../../core/index.js';
import { HealthMonitor, MONITOR_EVENTS, type Probe, type ProbeEvent } from '../../monitor/index.js';
import { HealthCheckProbe } from '../../monitor/io/index.js';
import type { World } from '../../world/index.js';
import { defaultFleetName, type FleetSubjects, fleetSubjects } from '../fleet-subjects.js';
import {
  DEFAULT_HEALTH_STREAM_LIMITS,
  type HealthStreamLimits,
  healthStreamConfig,
} from '../health-stream-config.js';
import { encodeObservation } from '../observation.js';
import { ProberMetrics } from '../prober-metrics.js';
import { ensureHealthStream } from './ensure-health-stream.js';
import { NATS_LINK_EVENT, NatsLink, type NatsLinkEvent } from './nats-link.js';
import { replicasFor } from './replicas-for.js';

export interface VantageProberOptions {
  readonly world: World;
  /** A vantage the world declares under `vantages`. */
  readonly vantage: string;
  /** NATS servers (any of the cluster's). */
  readonly servers: readonly string[];
  /** Default: the world's zone with dots as dashes (`defaultFleetName`). */
  readonly fleet?: string;
  readonly clock?: Clock;
  readonly random?: Random;
  /** Default: each region's http, https or tcp check (HealthCheckProbe). */
  readonly probe?: Probe;
  /** Local address probes are made from (the lab places vantages on their own loopback address). */
  readonly sourceAddress?: string;
  readonly registry?: Registry;
  /** Bounds of the stream when this prober creates it (replicas default: 3 in a cluster, else 1). */
  readonly streamLimits?: Partial<HealthStreamLimits>;
  /** Publishes awaiting their acknowledgement at most; further observations are dropped (default 4096). */
  readonly maxInFlight?: number;
}

/** Counts since start. */
export interface ProberStats {
  readonly published: number;
  readonly failed: number;
  readonly dropped: number;
  readonly inFlight: number;
  readonly connected: boolean;
  readonly streamReady: boolean;
}

export const PROBER_EVENTS = Object.freeze({
  /** `NatsLinkEvent`: connected, disconnected, reconnected, connect-failed. */
  nats: NATS_LINK_EVENT,
  /** `{ stream, replicas }`: the stream exists and observations are being published. */
  streamReady: 'meridian:fleet:stream-ready',
  /** `{ error }`: the stream could not be found or created (retried). */
  streamError: 'meridian:fleet:stream-error',
});

const PUBLISH_TIMEOUT_MS = 2000;

/**
 * `meridian probe`'s engine. A HealthMonitor (its schedule, jitter, deadlines, no overlap, the
 * world's checks) probes every region; each raw result (before rise/fall) is published as an
 * Observation to `meridian.<fleet>.health.<vantage>.<region>`.
 *
 * NATS is never waited on: while disconnected, or before the stream is known to exist, or with
 * `maxInFlight` publishes unacknowledged, an observation is dropped and counted, never queued
 * (an old observation delivered late is worse than none: consumers judge freshness). The
 * connection is retried forever; the stream is created if absent (docs/decisions/0021).
 */
export class VantageProber extends EventEmitter {
  readonly #opts: VantageProberOptions;
  readonly #subjects: FleetSubjects;
  readonly #monitor: HealthMonitor;
  readonly #link: NatsLink;
  readonly #metrics: ProberMetrics;
  readonly #maxInFlight: number;
  #streamReady = false;
  #ensuring = false;
  #running = false;
  #published = 0;
  #failed = 0;
  #dropped = 0;
  readonly #inFlight = new Set<Promise<void>>();
  #cancelRetry: (() => void) | null = null;

  constructor(opts: VantageProberOptions) {
    super();
    if (!opts.world.vantages.some((v) => v.name === opts.vantage)) {
      const known = opts.world.vantages.map((v) => v.name);
      throw new MeridianError(
        'MERIDIAN_FLEET_UNKNOWN_VANTAGE',
        `vantage "${opts.vantage}" is not declared in the world; ${known.length ? `declared: ${known.join(', ')}` : 'declare it under vantages: (name, location)'}`,
      );
    }
    this.#opts = opts;
    this.#subjects = fleetSubjects(opts.fleet ?? defaultFleetName(opts.world));
    const registry = opts.registry ?? new Registry();
    this.#metrics = new ProberMetrics(registry);
    this.#maxInFlight = Math.max(1, opts.maxInFlight ?? 4096);
    this.#monitor = new HealthMonitor({
      world: opts.world,
      registry,
      ...(opts.clock ? { clock: opts.clock } : {}),
      ...(opts.random ? { random: opts.random } : {}),
      probe: opts.probe ?? new HealthCheckProbe(),
      ...(opts.sourceAddress ? { sourceAddress: opts.sourceAddress } : {}),
    });
    this.#monitor.on(MONITOR_EVENTS.probe, (e: ProbeEvent) => this.#publish(e));
    this.#link = new NatsLink({
      servers: opts.servers,
      name: `meridian-probe-${opts.vantage}`,
      ...(opts.clock ? { clock: opts.clock } : {}),
    });
    this.#link.on(NATS_LINK_EVENT, (e: NatsLinkEvent) => {
      this.#metrics.connected.set(this.#link.connected ? 1 : 0);
      this.emit(PROBER_EVENTS.nats, e);
      if (e.state === 'connected') void this.#ensureStream();
    });
  }

  /** The fleet's subjects (stream name, subject per region). */
  get subjects(): FleetSubjects {
    return this.#subjects;
  }

  /** The vantage this prober probes from. */
  get vantage(): string {
    return this.#opts.vantage;
  }

  /** Starts probing and connecting; returns at once (nothing waits for NATS). */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#link.start();
    this.#monitor.start();
  }

  /** Stops probing, waits up to the publish timeout for publishes in flight, closes NATS. */
  async stop(): Promise<void> {
    this.#running = false;
    this.#cancelRetry?.();
    await this.#monitor.stop();
    await Promise.all([...this.#inFlight]);
    await this.#link.stop();
  }

  /** Probes a reloaded world's regions from now on. */
  setWorld(world: World): void {
    this.#monitor.setWorld(world);
  }

  stats(): ProberStats {
    return {
      published: this.#published,
      failed: this.#failed,
      dropped: this.#dropped,
      inFlight: this.#inFlight.size,
      connected: this.#link.connected,
      streamReady: this.#streamReady,
    };
  }

  #publish(e: ProbeEvent): void {
    const nc = this.#link.connection();
    if (!this.#running || !nc || !this.#streamReady || this.#inFlight.size >= this.#maxInFlight) {
      this.#dropped++;
      this.#metrics.published.inc({ result: 'dropped' });
      return;
    }
    const data = encodeObservation({
      region: e.region,
      vantage: this.#opts.vantage,
      ok: e.ok,
      latencyMs: e.durationMs,
      reason: e.error,
      timeMs: e.atMs,
    });
    const done: Promise<void> = jetstream(nc)
      .publish(this.#subjects.subjectOf(this.#opts.vantage, e.region), data, { timeout: PUBLISH_TIMEOUT_MS })
      .then(
        () => {
          this.#published++;
          this.#metrics.published.inc({ result: 'ok' });
        },
        (err: unknown) => {
          this.#failed++;
          this.#metrics.published.inc({ result: 'failed' });
          // no stream listens (deleted, or not there yet on this cluster): find or create it again
          if (
            (err as { name?: string })?.name === 'NoRespondersError' ||
            /no responders/i.test(String(err))
          ) {
            this.#streamReady = false;
            void this.#ensureStream();
          }
        },
      )
      .finally(() => this.#inFlight.delete(done));
    this.#inFlight.add(done);
  }

  /** Finds or creates the stream, retrying every second until it works or the prober stops. */
  async #ensureStream(): Promise<void> {
    if (this.#ensuring) return;
    this.#ensuring = true;
    try {
      while (this.#running && !this.#streamReady) {
        const nc: NatsConnection | null = await this.#link.whenConnected();
        if (!nc || !this.#running) return;
        try {
          const replicas = this.#opts.streamLimits?.replicas ?? replicasFor(nc);
          const info = await ensureHealthStream(
            nc,
            healthStreamConfig(this.#subjects, {
              ...DEFAULT_HEALTH_STREAM_LIMITS,
              replicas,
              ...this.#opts.streamLimits,
            }),
          );
          this.#streamReady = true;
          this.emit(PROBER_EVENTS.streamReady, {
            stream: info.config.name,
            replicas: info.config.num_replicas,
          });
        } catch (err) {
          this.emit(PROBER_EVENTS.streamError, { error: (err as Error)?.message ?? String(err) });
          await new Promise<void>((resolve) => {
            const cancel = (this.#opts.clock ?? systemClock).setTimeout(resolve, 1000);
            this.#cancelRetry = () => {
              cancel();
              resolve();
            };
          });
          this.#cancelRetry = null;
        }
      }
    } finally {
      this.#ensuring = false;
    }
  }
}
