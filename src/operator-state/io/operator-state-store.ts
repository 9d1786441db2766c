// The fleet's operator state in a replicated JetStream KV bucket: watches every change and hands
// it to a callback (folded by the pure reducer), writes drains with compare-and-set so the floor
// holds under concurrent operators, and reads a key's history.
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { type JetStreamManager, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { type KV, Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { type Clock, MeridianError, systemClock } from '../../core/index.js';
import { NATS_LINK_EVENT, NatsLink, replicasFor } from '../../fleet/io/index.js';
import type { DrainFloorVerdict } from '../drain-floor.js';
import type { OperatorRecord } from '../operator-record.js';
import {
  changeOf,
  type DrainMark,
  EMPTY_OPERATOR_STATE,
  OPERATOR_KEYS,
  type OperatorEntry,
  type OperatorState,
  parseDrains,
  type RolloutOverride,
  reduceOperatorState,
} from '../operator-state.js';

export interface OperatorStateStoreOptions {
  /** NATS servers (any of the cluster's). */
  readonly servers: readonly string[];
  /** The fleet name (as `meridian probe` and `meridian dns --fleet` use): bucket `meridian-<fleet>-operator`. */
  readonly fleet: string;
  /** Called with the new state and the entry after every change (also for the first values). */
  readonly onChange?: (state: OperatorState, entry: OperatorEntry) => void;
  readonly clock?: Clock;
  /** NATS connection name (default `meridian-operator-state`). */
  readonly name?: string;
  /** Values kept per key (default 64): the history. */
  readonly history?: number;
}

export const OPERATOR_STATE_EVENTS = Object.freeze({
  /** `{state, entry}` after every change. */
  change: 'meridian:operator-state:change',
  /** `{error}`: the watcher failed and is started again. */
  watchError: 'meridian:operator-state:watch-error',
  /** `{error}`: the `onChange` callback threw. */
  listenerError: 'meridian:operator-state:listener-error',
  nats: NATS_LINK_EVENT,
});

/** A change recorded in the bucket, with the revision it was written at. */
export interface OperatorHistoryEntry extends OperatorRecord {
  readonly key: string;
  readonly revision: number;
}

export interface OperatorStoreStatus {
  readonly bucket: string;
  readonly connected: boolean;
  /** True once the watcher has read up to the bucket's end as it found it. */
  readonly caughtUp: boolean;
  readonly revision: number;
  /** Local time of the last change read, or null. */
  readonly lastChangeAtMs: number | null;
}

const API_TIMEOUT_MS = 2000;
const CAS_ATTEMPTS = 10;
const LIVENESS_MS = 1000;

/** `meridian-<fleet>-operator`. */
export function operatorBucketName(fleet: string): string {
  return `meridian-${fleet}-operator`;
}

/**
 * One instance's view of the fleet's operator state. `start()` returns at once; the store connects
 * in the background and keeps watching (resuming after the last revision it applied when the
 * connection or the watcher is lost), so reading `state()` never waits on NATS. Writes throw
 * `MERIDIAN_OPERATOR_STATE_UNAVAILABLE` while NATS is away.
 */
export class OperatorStateStore extends EventEmitter {
  readonly bucket: string;
  readonly #opts: OperatorStateStoreOptions;
  readonly #clock: Clock;
  readonly #link: NatsLink;
  #state: OperatorState = EMPTY_OPERATOR_STATE;
  #kv: KV | null = null;
  #nc: NatsConnection | null = null;
  #jsm: JetStreamManager | null = null;
  #running = false;
  #loop: Promise<void> | null = null;
  #stopWatch: (() => void) | null = null;
  #caughtUpAt = Number.POSITIVE_INFINITY;
  #caughtUp = false;
  #lastChangeAtMs: number | null = null;
  #readyWaiters: (() => void)[] = [];
  #cancelSleep: (() => void) | null = null;
  #cancelLiveness: (() => void) | null = null;

  constructor(opts: OperatorStateStoreOptions) {
    super();
    this.#opts = opts;
    this.#clock = opts.clock ?? systemClock;
    this.bucket = operatorBucketName(opts.fleet);
    this.#link = new NatsLink({
      servers: opts.servers,
      name: opts.name ?? 'meridian-operator-state',
      clock: this.#clock,
    });
    this.#link.on(NATS_LINK_EVENT, (e: { state: string }) => {
      this.emit(NATS_LINK_EVENT, e);
      // a watcher whose consumer lived on the server left behind may never deliver again
      if (e.state === 'reconnected') this.#stopWatch?.();
    });
  }

  /** The state as last read (never waits). */
  state(): OperatorState {
    return this.#state;
  }

  status(): OperatorStoreStatus {
    return {
      bucket: this.bucket,
      connected: this.#link.connected,
      caughtUp: this.#caughtUp,
      revision: this.#state.revision,
      lastChangeAtMs: this.#lastChangeAtMs,
    };
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#link.start();
    this.#loop = this.#watchLoop();
    this.#scheduleLivenessCheck(null);
  }

  /** Resolves once the watcher has read the bucket as it was at start (or at once when stopped). */
  whenCaughtUp(): Promise<void> {
    if (this.#caughtUp || !this.#running) return Promise.resolve();
    return new Promise((resolve) => this.#readyWaiters.push(resolve));
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#cancelSleep?.();
    this.#cancelLiveness?.();
    this.#stopWatch?.();
    await this.#link.stop();
    await this.#loop;
    this.#kv = null;
    for (const w of this.#readyWaiters.splice(0)) w();
  }

  /**
   * Drains `region` if `decide` (given the drains in the bucket now) allows it, with
   * compare-and-set: a concurrent change of the drains makes it read and decide again, so two
   * operators cannot both pass the floor. Returns the verdict and, when written, the revision.
   */
  async drain(
    region: string,
    decide: (drains: Readonly<Record<string, DrainMark>>) => DrainFloorVerdict,
    change: OperatorRecord,
  ): Promise<{ verdict: DrainFloorVerdict; revision: number | null }> {
    let verdict: DrainFloorVerdict | null = null;
    const revision = await this.#updateDrains((regions) => {
      const v = decide(regions);
      verdict = v;
      if (!v.ok || regions[region]) return null;
      const forced = { ...change, forced: v.forced };
      return {
        regions: {
          ...regions,
          [region]: { who: change.who, atMs: change.atMs, reason: change.reason, forced: v.forced },
        },
        change: forced,
      };
    });
    return { verdict: verdict!, revision };
  }

  /** Lifts a drain (a no-op, not written, when the region is not drained). */
  async undrain(region: string, change: OperatorRecord): Promise<number | null> {
    return this.#updateDrains((regions) => {
      if (!regions[region]) return null;
      const { [region]: _gone, ...rest } = regions;
      return { regions: rest, change };
    });
  }

  /** Overrides a hostname's rollout (`null`: no rollout) for the whole fleet. */
  async setRollout(fqdn: string, rollout: RolloutOverride, change: OperatorRecord): Promise<number> {
    const kv = this.#writable();
    return this.#guard(() =>
      kv.put(`${OPERATOR_KEYS.rolloutPrefix}${fqdn}`, JSON.stringify({ rollout, change })),
    );
  }

  /** Removes a hostname's override: the world file's rollout applies again. */
  async clearRollout(fqdn: string): Promise<void> {
    const kv = this.#writable();
    await this.#guard(() => kv.delete(`${OPERATOR_KEYS.rolloutPrefix}${fqdn}`));
  }

  /** Adds a note (the text in `change.reason`). */
  async note(change: OperatorRecord): Promise<number> {
    const kv = this.#writable();
    const id = `${change.atMs}-${randomBytes(3).toString('hex')}`;
    return this.#guard(() => kv.put(`${OPERATOR_KEYS.notePrefix}${id}`, JSON.stringify({ change })));
  }

  /** Records the world the fleet runs, when it differs from the bucket's (moves the fleet's SOA serial). */
  async adoptWorld(hash: string, who: string): Promise<number | null> {
    if (this.#state.worldHash === hash) return null;
    const kv = this.#writable();
    const change: OperatorRecord = {
      action: 'world',
      target: hash,
      who,
      atMs: this.#clock.now(),
      reason: null,
      forced: false,
    };
    return this.#guard(() => kv.put(OPERATOR_KEYS.world, JSON.stringify({ hash, change })));
  }

  /** Every change kept for `key` (default: every key), oldest first. */
  async history(key?: string): Promise<OperatorHistoryEntry[]> {
    const kv = this.#writable();
    return this.#guard(async () => {
      const out: OperatorHistoryEntry[] = [];
      const it = await kv.history(key ? { key } : {});
      for await (const e of it) {
        const change = e.operation === 'PUT' ? changeOf(e.string()) : null;
        if (change) out.push({ ...change, key: e.key, revision: e.revision });
      }
      return out.sort((a, b) => a.revision - b.revision);
    });
  }

  async #updateDrains(
    next: (
      regions: Readonly<Record<string, DrainMark>>,
    ) => { regions: Record<string, DrainMark>; change: OperatorRecord } | null,
  ): Promise<number | null> {
    const kv = this.#writable();
    const nc = this.#nc!;
    const jsm = this.#jsm!;
    const stream = `KV_${this.bucket}`;
    const subject = `$KV.${this.bucket}.${OPERATOR_KEYS.drains}`;
    for (let attempt = 1; attempt <= CAS_ATTEMPTS; attempt++) {
      // Compare-and-set on the whole bucket's last sequence, read before the value: the per-key
      // check (Nats-Expected-Last-Subject-Sequence, what kv.update sends) is not serialised on
      // clustered streams before nats-server 2.9.21 (nats-io/nats-server#4320); the stream-level
      // one counts proposals in flight. A write to any key in between makes this one retry.
      const last = await this.#guard(async () => (await jsm.streams.info(stream)).state.last_seq);
      const entry = await this.#guard(() => kv.get(OPERATOR_KEYS.drains));
      if (entry && entry.revision > last) continue;
      const current = entry?.operation === 'PUT' ? (parseDrains(entry.string())?.regions ?? {}) : {};
      const update = next(current);
      if (!update) return null;
      try {
        const ack = await jetstream(nc).publish(subject, JSON.stringify(update), {
          expect: { lastSequence: last },
          timeout: API_TIMEOUT_MS,
        });
        return ack.seq;
      } catch (err) {
        if (!/wrong last sequence|10071/i.test(String((err as Error)?.message))) throw unavailable(err);
      }
    }
    throw new MeridianError(
      'MERIDIAN_OPERATOR_STATE_UNAVAILABLE',
      `the drains changed under this write ${CAS_ATTEMPTS} times in a row; try again`,
    );
  }

  #writable(): KV {
    const kv = this.#kv;
    if (!kv || !this.#link.connected) {
      throw new MeridianError(
        'MERIDIAN_OPERATOR_STATE_UNAVAILABLE',
        `the fleet's operator state (${this.bucket}) is not reachable: NATS is ${this.#link.connected ? 'connected, the bucket is not open yet' : 'not connected'}`,
      );
    }
    return kv;
  }

  async #guard<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw unavailable(err);
    }
  }

  async #open(nc: NatsConnection): Promise<KV> {
    const kvm = new Kvm(nc);
    let kv: KV;
    try {
      kv = await kvm.create(this.bucket, {
        replicas: replicasFor(nc),
        history: this.#opts.history ?? 64,
        timeout: API_TIMEOUT_MS,
        // reads for compare-and-set must come from the leader, not a replica that may lag
        allow_direct: false,
        description: 'Meridian operator state: drains, rollout overrides, notes (docs/decisions/0026)',
      });
    } catch {
      kv = await kvm.open(this.bucket, { timeout: API_TIMEOUT_MS });
    }
    // the serial's base: the first writer wins, so every instance reads the same epoch
    await kv
      .create(OPERATOR_KEYS.epoch, JSON.stringify({ seconds: Math.floor(this.#clock.now() / 1000) }))
      .catch(() => {});
    return kv;
  }

  async #watchLoop(): Promise<void> {
    while (this.#running) {
      const nc = await this.#link.whenConnected();
      if (!nc || !this.#running) return;
      try {
        const kv = await this.#open(nc);
        this.#kv = kv;
        this.#nc = nc;
        this.#jsm = await jetstreamManager(nc, { timeout: API_TIMEOUT_MS });
        const resume = this.#state.revision + 1;
        const iter = await kv.watch(this.#state.revision > 0 ? { resumeFromRevision: resume } : {});
        this.#stopWatch = () => iter.stop();
        if (!this.#caughtUp) {
          const status = await kv.status();
          this.#caughtUpAt = status.streamInfo.state.last_seq;
          this.#checkCaughtUp();
        }
        for await (const e of iter) {
          this.#apply({
            key: e.key,
            revision: e.revision,
            operation: e.operation,
            value: e.operation === 'PUT' ? e.string() : '',
          });
        }
      } catch (err) {
        if (this.#running)
          this.emit(OPERATOR_STATE_EVENTS.watchError, { error: (err as Error)?.message ?? String(err) });
      }
      this.#stopWatch = null;
      if (this.#running) await this.#sleep(250);
    }
  }

  /**
   * Every LIVENESS_MS: when the bucket holds revisions this store has not applied for two checks
   * in a row, the watcher is stuck (its consumer went with a node): start it again, resuming.
   */
  #scheduleLivenessCheck(behindSince: number | null): void {
    if (!this.#running) return;
    this.#cancelLiveness = this.#clock.setTimeout(() => {
      void (async () => {
        let behind: number | null = null;
        try {
          const jsm = this.#jsm;
          if (jsm && this.#link.connected) {
            const last = (await jsm.streams.info(`KV_${this.bucket}`)).state.last_seq;
            if (last > this.#state.revision) behind = this.#state.revision;
          }
        } catch {
          // NATS away: the link reconnects and restarts the watcher
        }
        if (behind !== null && behindSince !== null && behind === behindSince) {
          this.emit(OPERATOR_STATE_EVENTS.watchError, {
            error: `watcher stuck at revision ${behind}; restarting it`,
          });
          this.#stopWatch?.();
          behind = null;
        }
        this.#scheduleLivenessCheck(behind);
      })();
    }, LIVENESS_MS);
  }

  #apply(entry: OperatorEntry): void {
    const next = reduceOperatorState(this.#state, entry);
    if (next === this.#state) return;
    this.#state = next;
    this.#lastChangeAtMs = this.#clock.now();
    try {
      this.#opts.onChange?.(next, entry);
    } catch (err) {
      this.emit(OPERATOR_STATE_EVENTS.listenerError, { error: (err as Error)?.message ?? String(err) });
    }
    this.emit(OPERATOR_STATE_EVENTS.change, { state: next, entry });
    this.#checkCaughtUp();
  }

  #checkCaughtUp(): void {
    if (this.#caughtUp || this.#state.revision < this.#caughtUpAt) return;
    this.#caughtUp = true;
    for (const w of this.#readyWaiters.splice(0)) w();
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

function unavailable(err: unknown): MeridianError {
  if (err instanceof MeridianError) return err;
  return new MeridianError(
    'MERIDIAN_OPERATOR_STATE_UNAVAILABLE',
    `the fleet's operator state did not answer: ${(err as Error)?.message ?? String(err)}`,
    { cause: err },
  );
}
