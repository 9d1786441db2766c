// External-cache mode: a snapshot's entries loaded into Redis under a versioned prefix, read through a pointer.
import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import { Counter, Gauge, Registry } from 'prom-client';
import { type Clock, MeridianError, systemClock } from '../../core/index.js';
import type { ConfigCache } from '../config-cache.js';
import type { ConfigSnapshot } from '../snapshot.js';

export interface RedisSnapshotCacheOptions<T> {
  /** A connected ioredis client; the caller owns it (and quits it). */
  readonly redis: Redis;
  /** Every key this cache writes starts with it, e.g. `meridian:partners`. */
  readonly keyPrefix: string;
  /** The entries of one snapshot: key -> string value (serialise values yourself). */
  readonly entries: (data: T) => Iterable<readonly [string, string]>;
  /** The ConfigCache whose accepted snapshots are loaded. */
  readonly source: ConfigCache<T>;
  /** Entries per pipeline round trip while loading. Default 1 000. */
  readonly batchSize?: number;
  /** Wait before retrying a failed load. Default 5 000 ms. */
  readonly retryMs?: number;
  readonly clock?: Clock;
  readonly registry?: Registry;
}

/** Pointer switch: only ever forward. KEYS[1] = pointer, ARGV[1] = version. */
const SWITCH = `local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) > cur then redis.call('SET', KEYS[1], ARGV[1]) return tonumber(ARGV[1]) end
return cur`;

/** Read through the pointer in one round trip. KEYS[1] = pointer, ARGV = data prefix, key. */
const READ = `local v = redis.call('GET', KEYS[1])
if not v then return false end
return redis.call('GET', ARGV[1] .. v .. ':' .. ARGV[2])`;

type Script = (...args: (string | number)[]) => Promise<unknown>;

/**
 * Loads each snapshot accepted by `source` into Redis as `${keyPrefix}:v${version}:${key}`,
 * then moves `${keyPrefix}:ptr` forward in one atomic script, then deletes older versions.
 * `get(key)` reads through the pointer, so readers never see a half-loaded version. Several
 * region processes may share one Redis: the pointer never moves backwards.
 */
export class RedisSnapshotCache<T> extends EventEmitter {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #entries: (data: T) => Iterable<readonly [string, string]>;
  readonly #source: ConfigCache<T>;
  readonly #batchSize: number;
  readonly #retryMs: number;
  readonly #clock: Clock;
  readonly #loads: Counter<'config' | 'outcome'>;
  readonly #versionGauge: Gauge<'config'>;
  #warm = false;
  #loadedVersion = 0;
  #running = false;
  #queue: Promise<void> = Promise.resolve();
  #cancelRetry: (() => void) | undefined;
  readonly #onAccepted = (): void => this.#schedule();

  /** For a health registry: a critical check, true once a complete load is visible through the pointer. */
  readonly warmCheck: () => boolean = () => this.#warm;

  constructor(options: RedisSnapshotCacheOptions<T>) {
    super();
    if (!/^[\w:.-]+$/.test(options.keyPrefix)) {
      throw new MeridianError('MERIDIAN_CONFIG_INVALID_OPTION', 'keyPrefix must match [A-Za-z0-9_:.-]+');
    }
    this.#redis = options.redis;
    this.#prefix = options.keyPrefix;
    this.#entries = options.entries;
    this.#source = options.source;
    this.#batchSize = options.batchSize ?? 1000;
    this.#retryMs = options.retryMs ?? 5000;
    this.#clock = options.clock ?? systemClock;
    const registry = options.registry ?? new Registry();
    this.#loads =
      (registry.getSingleMetric('meridian_config_external_loads_total') as Counter<'config' | 'outcome'>) ??
      new Counter({
        name: 'meridian_config_external_loads_total',
        help: 'Snapshot loads into the external cache, by outcome (loaded, already-current, failed)',
        labelNames: ['config', 'outcome'],
        registers: [registry],
      });
    this.#versionGauge =
      (registry.getSingleMetric('meridian_config_external_version') as Gauge<'config'>) ??
      new Gauge({
        name: 'meridian_config_external_version',
        help: 'Version this process last saw the external-cache pointer switched to',
        labelNames: ['config'],
        registers: [registry],
      });
    this.#redis.defineCommand('meridianConfigSwitch', { numberOfKeys: 1, lua: SWITCH });
    this.#redis.defineCommand('meridianConfigRead', { numberOfKeys: 1, lua: READ });
  }

  get pointerKey(): string {
    return `${this.#prefix}:ptr`;
  }

  /** True once a complete snapshot (this one's or a newer) is visible through the pointer. */
  isWarm(): boolean {
    return this.#warm;
  }

  /** Follows the source's accepted snapshots; loads the current one now if it has one. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#source.on('meridian:config:accepted', this.#onAccepted);
    if (this.#source.isWarm()) this.#schedule();
  }

  /** Stops following the source and waits for a load in progress. */
  async stop(): Promise<void> {
    this.#running = false;
    this.#source.off('meridian:config:accepted', this.#onAccepted);
    this.#cancelRetry?.();
    this.#cancelRetry = undefined;
    await this.#queue;
  }

  /** Waits for loads already queued (tests, shutdown). */
  async settled(): Promise<void> {
    await this.#queue;
  }

  /** The value of `key` in the version the pointer names; null when absent or before the first load. */
  async get(key: string): Promise<string | null> {
    const read = (this.#redis as unknown as Record<string, Script>).meridianConfigRead!;
    const value = await read.call(this.#redis, this.pointerKey, `${this.#prefix}:v`, key);
    return typeof value === 'string' ? value : null;
  }

  #schedule(): void {
    this.#queue = this.#queue.then(() => this.#loadCurrent());
  }

  async #loadCurrent(): Promise<void> {
    const snapshot = this.#source.snapshot();
    if (!this.#running || !snapshot || snapshot.version <= this.#loadedVersion) return;
    try {
      const outcome = await this.load(snapshot);
      this.#loads.inc({ config: this.#source.name, outcome });
    } catch (err) {
      this.#loads.inc({ config: this.#source.name, outcome: 'failed' });
      this.emit('meridian:config:external-load-failed', {
        config: this.#source.name,
        version: snapshot.version,
        detail: err instanceof Error ? err.message : String(err),
      });
      if (this.#running && !this.#cancelRetry) {
        this.#cancelRetry = this.#clock.setTimeout(() => {
          this.#cancelRetry = undefined;
          this.#schedule();
        }, this.#retryMs);
      }
    }
  }

  /**
   * Loads `snapshot` unless the pointer already names it or a newer one, switches the pointer,
   * and removes older versions. Throws on Redis errors (the caller retries).
   */
  async load(snapshot: ConfigSnapshot<T>): Promise<'loaded' | 'already-current'> {
    const version = snapshot.version;
    const current = Number((await this.#redis.get(this.pointerKey)) ?? '0');
    let outcome: 'loaded' | 'already-current' = 'already-current';
    let pointer = current;
    if (current < version) {
      const dataPrefix = `${this.#prefix}:v${version}:`;
      let pipeline = this.#redis.pipeline();
      let count = 0;
      let entries = 0;
      for (const [key, value] of this.#entries(snapshot.data)) {
        pipeline.set(dataPrefix + key, value);
        entries++;
        if (++count >= this.#batchSize) {
          await execOrThrow(pipeline);
          pipeline = this.#redis.pipeline();
          count = 0;
        }
      }
      if (count > 0) await execOrThrow(pipeline);
      const sw = (this.#redis as unknown as Record<string, Script>).meridianConfigSwitch!;
      pointer = Number(await sw.call(this.#redis, this.pointerKey, version));
      outcome = pointer === version ? 'loaded' : 'already-current';
      this.emit('meridian:config:external-loaded', { config: this.#source.name, version, entries, pointer });
    }
    await this.#removeOlderThan(pointer);
    this.#loadedVersion = Math.max(this.#loadedVersion, version);
    this.#versionGauge.set({ config: this.#source.name }, pointer);
    if (!this.#warm) {
      this.#warm = true;
      this.emit('meridian:config:external-warm', { config: this.#source.name, version: pointer });
    }
    return outcome;
  }

  async #removeOlderThan(version: number): Promise<void> {
    const head = `${this.#prefix}:v`;
    let cursor = '0';
    for (let rounds = 0; rounds < 1_000_000; rounds++) {
      const [next, keys] = await this.#redis.scan(cursor, 'MATCH', `${head}*`, 'COUNT', 1000);
      const old = keys.filter((k) => {
        const v = Number.parseInt(k.slice(head.length), 10);
        return Number.isFinite(v) && v < version;
      });
      if (old.length > 0) await this.#redis.unlink(...old);
      cursor = next;
      if (cursor === '0') break;
    }
  }
}

async function execOrThrow(pipeline: ReturnType<Redis['pipeline']>): Promise<void> {
  const results = await pipeline.exec();
  for (const [err] of results ?? []) {
    if (err) throw err;
  }
}
