// The health monitor: probes every region on its own jittered schedule, runs each result
// through the flap guard and drain overrides, and publishes an immutable HealthTable on change.
import { EventEmitter } from 'node:events';
import { Registry } from 'prom-client';
import { type Clock, MeridianError, type Random, systemClock, systemRandom } from '../core/index.js';
import type { HealthTable, RegionHealth, RegionState } from '../health-table/index.js';
import type { Region, World } from '../world/index.js';
import { applyProbe, type FlapGuard, INITIAL_FLAP_GUARD } from './flap-guard.js';
import { MonitorMetrics } from './monitor-metrics.js';
import type { Probe, ProbeResult } from './probe.js';
import { probeTargetOf, sameProbeTarget } from './probe-target-of.js';

export interface HealthMonitorOptions {
  world: World;
  clock?: Clock;
  random?: Random;
  /**
   * What checks a region: `HealthCheckProbe` from `meridian/monitor/io` in a server (each region's
   * http, https or tcp check, a fresh connection each); a fake in tests.
   */
  probe: Probe;
  /** Local address every probe is made from (a lab vantage's loopback address); default: any. */
  sourceAddress?: string;
  /** prom-client registry for the monitor's metrics; a private one when omitted. */
  registry?: Registry;
  /** Probes in flight at once across all regions (default 32); further rounds wait their turn. */
  maxConcurrentProbes?: number;
}

/** Payload of `meridian:monitor:state-change`. */
export interface StateChangeEvent {
  readonly region: string;
  readonly from: RegionState;
  readonly to: RegionState;
  readonly atMs: number;
  /** The failure that tipped the region down, or null. */
  readonly error: string | null;
}

/** Payload of `meridian:monitor:probe`: one completed probe's raw result, before rise/fall. */
export interface ProbeEvent {
  readonly region: string;
  readonly ok: boolean;
  readonly durationMs: number;
  /** Why it failed (`timeout`, `status 503`, `ECONNREFUSED` …), or null. */
  readonly error: string | null;
  readonly atMs: number;
}

/** Payload of `meridian:monitor:drain` (both drain and undrain). */
export interface DrainEvent {
  readonly region: string;
  readonly drained: boolean;
  readonly atMs: number;
}

/** Live per-region probe detail, fresher than the table (which changes only on state changes). */
export interface ProbeStatus {
  readonly region: string;
  readonly state: RegionState;
  readonly drained: boolean;
  readonly successes: number;
  readonly failures: number;
  readonly lastProbeAtMs: number | null;
  readonly lastDurationMs: number | null;
  readonly lastError: string | null;
  readonly inFlight: boolean;
}

export const MONITOR_EVENTS = Object.freeze({
  stateChange: 'meridian:monitor:state-change',
  probe: 'meridian:monitor:probe',
  drain: 'meridian:monitor:drain',
  listenerError: 'meridian:monitor:listener-error',
});

interface Slot {
  region: Region;
  guard: FlapGuard;
  drained: boolean;
  lastProbeAtMs: number | null;
  lastDurationMs: number | null;
  lastChangeAtMs: number | null;
  lastError: string | null;
  /** Monotonic start of the current or last probe. */
  lastStartMono: number | null;
  /** Set while a probe's promise has not settled (even after its deadline was counted). */
  inFlight: Promise<void> | null;
  /** The current probe's controller; aborted at its deadline, on removal and on stop. */
  abort: AbortController | null;
  cancelTimer: (() => void) | null;
  /** The target changed while a probe was in flight: probe again as soon as it ends. */
  recheck: boolean;
  queued: boolean;
  removed: boolean;
}

/**
 * Probes each world region's health endpoint and keeps an immutable table of who is up.
 * Each region has its own loop: the first probe at a random offset within one interval, then
 * one probe every `intervalMs` measured from the previous probe's start, never two at once.
 * A probe that has not answered after `timeoutMs` counts as a failure (and is aborted).
 * Readers call `table()` (a field read) or subscribe with `onChange`; nothing waits on a probe.
 */
export class HealthMonitor extends EventEmitter {
  readonly #clock: Clock;
  readonly #random: Random;
  readonly #probe: Probe;
  readonly #metrics: MonitorMetrics;
  readonly #maxConcurrent: number;
  readonly #sourceAddress: string | undefined;
  readonly #listeners = new Set<(t: HealthTable) => void>();
  #world: World;
  #slots: Slot[];
  #table: HealthTable;
  #running = false;
  #active = 0;
  readonly #queue: Slot[] = [];

  constructor(opts: HealthMonitorOptions) {
    super();
    this.#clock = opts.clock ?? systemClock;
    this.#random = opts.random ?? systemRandom;
    this.#probe = opts.probe;
    this.#sourceAddress = opts.sourceAddress;
    this.#metrics = new MonitorMetrics(opts.registry ?? new Registry());
    this.#maxConcurrent = Math.max(1, opts.maxConcurrentProbes ?? 32);
    this.#world = opts.world;
    this.#slots = opts.world.regions.map((r) => newSlot(r));
    this.#table = this.#buildTable(0);
    this.#updateGauges();
  }

  /** Starts probing (each region after a random offset within its interval). Idempotent. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    for (const slot of this.#slots) this.#scheduleFirst(slot);
  }

  /** Stops probing: cancels timers, aborts probes in flight and waits for them to settle. */
  async stop(): Promise<void> {
    this.#running = false;
    this.#queue.length = 0;
    const pending: Promise<void>[] = [];
    for (const slot of this.#slots) {
      slot.cancelTimer?.();
      slot.cancelTimer = null;
      slot.queued = false;
      slot.abort?.abort();
      if (slot.inFlight) pending.push(slot.inFlight);
    }
    await Promise.all(pending);
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

  /** Live probe detail per region, in world order (for admin views; allocates). */
  probeStatus(): ProbeStatus[] {
    return this.#slots.map((s) => ({
      region: s.region.name,
      state: s.guard.state,
      drained: s.drained,
      successes: s.guard.successes,
      failures: s.guard.failures,
      lastProbeAtMs: s.lastProbeAtMs,
      lastDurationMs: s.lastDurationMs,
      lastError: s.lastError,
      inFlight: s.inFlight !== null,
    }));
  }

  /** Stops giving `region` answers; it keeps being probed. Throws MERIDIAN_MONITOR_UNKNOWN_REGION. */
  drain(region: string): void {
    this.#setDrained(region, true);
  }

  /** Lifts a drain. Throws MERIDIAN_MONITOR_UNKNOWN_REGION. */
  undrain(region: string): void {
    this.#setDrained(region, false);
  }

  /**
   * Switches to a reloaded world. Regions kept (by name) keep their state, drain and schedule
   * (a changed interval takes effect from the last probe's start; a changed address, port or
   * path is probed at once, or as soon as the probe in flight ends); new regions start unknown
   * with a jittered first probe; removed regions stop being probed. Publishes a new table when
   * the region list or anything in it changed.
   */
  setWorld(world: World): void {
    const old = new Map(this.#slots.map((s) => [s.region.name, s]));
    const slots = world.regions.map((region) => {
      const slot = old.get(region.name);
      if (!slot) {
        const fresh = newSlot(region);
        if (this.#running) this.#scheduleFirst(fresh);
        return fresh;
      }
      old.delete(region.name);
      const before = slot.region;
      const targetChanged = !sameProbeTarget(probeTargetOf(before), probeTargetOf(region));
      const intervalChanged = before.health.intervalMs !== region.health.intervalMs;
      slot.region = region;
      if (slot.cancelTimer && (targetChanged || (intervalChanged && slot.lastStartMono !== null))) {
        // a new target is checked at once (its state is kept meanwhile); a new interval counts
        // from the last probe's start
        slot.cancelTimer();
        const at = targetChanged ? this.#clock.monotonic() : slot.lastStartMono! + region.health.intervalMs;
        this.#scheduleAt(slot, at);
      } else if (targetChanged && slot.inFlight) {
        slot.recheck = true;
      }
      return slot;
    });
    for (const gone of old.values()) {
      gone.removed = true;
      gone.cancelTimer?.();
      gone.cancelTimer = null;
      gone.abort?.abort();
      this.#metrics.forget(gone.region.name);
    }
    if (old.size > 0) {
      for (let i = this.#queue.length - 1; i >= 0; i--) if (this.#queue[i]!.removed) this.#queue.splice(i, 1);
    }
    this.#world = world;
    this.#slots = slots;
    this.#updateGauges();
    const prev = this.#table.regions;
    const same =
      prev.length === slots.length &&
      slots.every((s, i) => {
        const p = prev[i]!;
        return p.name === s.region.name && p.state === s.guard.state && p.drained === s.drained;
      });
    if (!same) this.#publish();
  }

  /** The world the monitor currently probes. */
  world(): World {
    return this.#world;
  }

  #setDrained(region: string, drained: boolean): void {
    const slot = this.#slots.find((s) => s.region.name === region);
    if (!slot) {
      throw new MeridianError(
        'MERIDIAN_MONITOR_UNKNOWN_REGION',
        `no region "${region}" in the world; known regions: ${this.#slots.map((s) => s.region.name).join(', ')}`,
      );
    }
    if (slot.drained === drained) return;
    slot.drained = drained;
    this.emit(MONITOR_EVENTS.drain, { region, drained, atMs: this.#clock.now() } satisfies DrainEvent);
    this.#publish();
  }

  #scheduleFirst(slot: Slot): void {
    const offset = this.#random.next() * slot.region.health.intervalMs;
    slot.cancelTimer = this.#clock.setTimeout(() => this.#due(slot), offset);
  }

  #scheduleAt(slot: Slot, monoMs: number): void {
    const delay = Math.max(0, monoMs - this.#clock.monotonic());
    slot.cancelTimer = this.#clock.setTimeout(() => this.#due(slot), delay);
  }

  /** A region's round is due: probe now, or queue for a concurrency slot. */
  #due(slot: Slot): void {
    slot.cancelTimer = null;
    if (!this.#running || slot.removed) return;
    if (slot.inFlight) {
      // The previous probe is past its deadline (already counted) and still has not settled:
      // never overlap it; count this round as failed too and try again one interval later.
      this.#metrics.probeOverruns.inc({ region: slot.region.name });
      this.#record(slot, { ok: false, durationMs: 0, error: 'previous probe still running' });
      this.#scheduleAt(slot, this.#clock.monotonic() + slot.region.health.intervalMs);
      return;
    }
    if (this.#active >= this.#maxConcurrent) {
      slot.queued = true;
      this.#queue.push(slot);
      return;
    }
    this.#run(slot);
  }

  #run(slot: Slot): void {
    this.#active++;
    const target = probeTargetOf(slot.region, this.#sourceAddress);
    const { timeoutMs, intervalMs } = slot.region.health;
    const startMono = this.#clock.monotonic();
    slot.lastStartMono = startMono;
    const abort = new AbortController();
    slot.abort = abort;
    let counted = false;
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      this.#active--;
      this.#next();
    };
    const conclude = (result: ProbeResult): void => {
      if (counted) return;
      counted = true;
      cancelDeadline();
      release();
      if (slot.removed || !this.#running) return; // stopped or removed: the result means nothing
      this.#record(slot, result);
      const next = slot.recheck ? this.#clock.monotonic() : startMono + intervalMs;
      slot.recheck = false;
      if (this.#running) this.#scheduleAt(slot, next);
    };
    // At the deadline, give the probe one more turn of the event loop (a 0-ms timer runs after
    // the poll phase): a stalled loop runs expired timers before it reads sockets, and an answer
    // that arrived in time must not lose to a timer that merely ran late.
    let cancelTimer = this.#clock.setTimeout(() => {
      cancelTimer = this.#clock.setTimeout(() => {
        abort.abort();
        conclude({ ok: false, durationMs: timeoutMs, error: 'timeout' });
      }, 0);
    }, timeoutMs);
    const cancelDeadline = () => cancelTimer();
    let probing: Promise<ProbeResult>;
    try {
      probing = this.#probe.check({ ...target, signal: abort.signal });
    } catch (err) {
      probing = Promise.reject(err);
    }
    const tracked: Promise<void> = probing
      .then(
        (result) => conclude(result),
        (err: unknown) => conclude({ ok: false, durationMs: 0, error: `probe threw: ${String(err)}` }),
      )
      .finally(() => {
        if (slot.inFlight === tracked) slot.inFlight = null;
        if (slot.abort === abort) slot.abort = null;
      });
    slot.inFlight = tracked;
  }

  /** Starts queued rounds while there is room. */
  #next(): void {
    while (this.#running && this.#active < this.#maxConcurrent) {
      const slot = this.#queue.shift();
      if (!slot) return;
      slot.queued = false;
      if (!slot.removed) this.#run(slot);
    }
  }

  #record(slot: Slot, result: ProbeResult): void {
    const region = slot.region.name;
    const now = this.#clock.now();
    this.#metrics.probes.inc({ region, result: result.ok ? 'ok' : 'fail' });
    this.#metrics.probeDuration.observe({ region }, result.durationMs / 1000);
    slot.lastProbeAtMs = now;
    slot.lastDurationMs = result.durationMs;
    slot.lastError = result.ok ? null : (result.error ?? 'failed');
    this.emit(MONITOR_EVENTS.probe, {
      region,
      ok: result.ok,
      durationMs: result.durationMs,
      error: slot.lastError,
      atMs: now,
    } satisfies ProbeEvent);
    const { rise, fall } = slot.region.health;
    const before = slot.guard.state;
    slot.guard = applyProbe(slot.guard, result.ok, { rise, fall });
    if (slot.guard.state === before) return;
    slot.lastChangeAtMs = now;
    this.#metrics.stateChanges.inc({ region, to: slot.guard.state });
    this.emit(MONITOR_EVENTS.stateChange, {
      region,
      from: before,
      to: slot.guard.state,
      atMs: now,
      error: slot.lastError,
    } satisfies StateChangeEvent);
    this.#publish();
  }

  #publish(): void {
    this.#table = this.#buildTable(this.#table.version + 1);
    this.#updateGauges();
    const table = this.#table;
    for (const fn of [...this.#listeners]) {
      try {
        fn(table);
      } catch (error) {
        this.emit(MONITOR_EVENTS.listenerError, { error });
      }
    }
  }

  #buildTable(version: number): HealthTable {
    const regions: RegionHealth[] = this.#slots.map((s, index) =>
      Object.freeze({
        name: s.region.name,
        index,
        state: s.guard.state,
        drained: s.drained,
        serving: s.guard.state === 'up' && !s.drained,
        lastProbeAtMs: s.lastProbeAtMs,
        lastChangeAtMs: s.lastChangeAtMs,
        lastError: s.lastError,
      }),
    );
    return Object.freeze({ version, publishedAtMs: this.#clock.now(), regions: Object.freeze(regions) });
  }

  #updateGauges(): void {
    this.#metrics.tableVersion.set(this.#table.version);
    for (const r of this.#table.regions) this.#metrics.serving.set({ region: r.name }, r.serving ? 1 : 0);
  }
}

function newSlot(region: Region): Slot {
  return {
    region,
    guard: INITIAL_FLAP_GUARD,
    drained: false,
    lastProbeAtMs: null,
    lastDurationMs: null,
    lastChangeAtMs: null,
    lastError: null,
    lastStartMono: null,
    inFlight: null,
    abort: null,
    cancelTimer: null,
    recheck: false,
    queued: false,
    removed: false,
  };
}
