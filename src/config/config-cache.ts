// A region's in-memory copy of one config: polled from its sources, verified, swapped atomically.

import { createHash, type KeyObject } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { Registry } from 'prom-client';
import { type Clock, MeridianError, type Random, systemClock, systemRandom } from '../core/index.js';
import { type ConfigMetrics, configMetrics } from './config-metrics.js';
import type { ConfigSource, SourceFetch } from './config-source.js';
import { type DataSchema, type DataValidator, toDataValidator } from './data-validator.js';
import type { LastGoodStore } from './last-good-store.js';
import { type KeyInput, toPublicKey } from './signing-keys.js';
import type { ConfigSnapshot } from './snapshot.js';
import { type RejectReason, verifySnapshot } from './verify-snapshot.js';

export interface ConfigCacheOptions<T> {
  /** The config's name; a snapshot with another name is refused. */
  readonly name: string;
  /** Home's Ed25519 public key (PEM or KeyObject). */
  readonly publicKey: KeyInput;
  /** The shape of `data`: a zod schema or a `(unknown) => {ok, value} | {ok: false, reason}` function. */
  readonly schema: DataSchema<T>;
  /** Tried in this order on every poll; the first that answers with something usable wins. */
  readonly sources: readonly ConfigSource[];
  /** Mean time between polls once warm. Default 30 000. */
  readonly pollIntervalMs?: number;
  /** Mean time between polls until warm. Default 1 000. */
  readonly coldPollIntervalMs?: number;
  /** Each delay is drawn uniformly from interval × [1 − jitter, 1 + jitter]. Default 0.2. */
  readonly jitterRatio?: number;
  /** A source that takes longer is aborted and counted as failed. Default 5 000. */
  readonly sourceTimeoutMs?: number;
  /** Envelopes larger than this are refused. Default 16 MiB. */
  readonly maxBytes?: number;
  /** Optional last-good copy (off by default): used only when no source delivered on the first poll. */
  readonly lastGood?: { readonly store: LastGoodStore; readonly maxAgeMs: number };
  /**
   * After this many polls in a row in which a source offered an older version than the one
   * held, say so once (`meridian:config:older-streak`, `olderStreak().alerting`). Default 5.
   */
  readonly olderStreakAlertPolls?: number;
  readonly clock?: Clock;
  readonly random?: Random;
  /** Where metrics go; a private Registry when absent. */
  readonly registry?: Registry;
}

export type PollOutcome =
  | { readonly outcome: 'accepted'; readonly source: string; readonly version: number }
  | { readonly outcome: 'unchanged'; readonly source: string; readonly version: number }
  | { readonly outcome: 'rejected'; readonly version: number }
  | { readonly outcome: 'failed'; readonly version: number };

export interface ConfigEvents {
  'meridian:config:accepted': { config: string; source: string; version: number; previousVersion: number };
  'meridian:config:rejected': {
    config: string;
    source: string;
    reason: RejectReason | 'stale-copy';
    detail: string;
    version?: number;
  };
  'meridian:config:source-failed': { config: string; source: string; detail: string };
  'meridian:config:warm': { config: string; source: string; version: number };
  'meridian:config:poll': PollOutcome & { config: string };
  'meridian:config:older-streak': {
    config: string;
    polls: number;
    sinceMs: number;
    source: string;
    offeredVersion: number;
    heldVersion: number;
  };
  'meridian:config:older-streak-ended': { config: string; polls: number };
}

/** Polls in a row in which a source offered an older version than the one held. */
export interface OlderStreak {
  readonly polls: number;
  /** Wall time (ms) of the first poll of the streak. */
  readonly sinceMs: number;
  /** The source and version of the latest older offer. */
  readonly source: string;
  readonly offeredVersion: number;
  /** True once `polls` reached `olderStreakAlertPolls`. */
  readonly alerting: boolean;
}

type Refusal = { readonly reason: RejectReason; readonly detail: string; readonly version?: number };

/** Per source: the cursor sent next time, and whether it names a snapshot that was refused. */
interface SourceState {
  readonly cursor?: string;
  readonly refused?: Refusal;
}

/** How many refused snapshots per source are remembered so each is reported once. */
const REPORTED_PER_SOURCE = 16;

/** Source name used for the on-disk last-good copy in events and metrics. */
export const LAST_GOOD_SOURCE = 'last-good';

/**
 * Holds the latest accepted snapshot of one config. Reads (`get`, `snapshot`) are synchronous
 * and return deep-frozen objects; polling happens between `start()` and `stop()`. Nothing a
 * source does is ever thrown to a reader: failures and refusals become events and metrics.
 */
export class ConfigCache<T> extends EventEmitter {
  readonly name: string;
  /** For a health registry: a critical `config-warm` check. */
  readonly warmCheck: () => boolean = () => this.#current !== undefined;

  readonly #publicKey: KeyObject;
  readonly #validate: DataValidator<T>;
  readonly #sources: readonly ConfigSource[];
  readonly #states = new Map<string, SourceState>();
  /** Per source, the refused snapshots already reported (oldest first). */
  readonly #reported = new Map<string, string[]>();
  readonly #olderAlertPolls: number;
  #older: { -readonly [K in keyof OlderStreak]: OlderStreak[K] } | undefined;
  readonly #intervalMs: number;
  readonly #coldIntervalMs: number;
  readonly #jitter: number;
  readonly #timeoutMs: number;
  readonly #maxBytes: number;
  readonly #lastGood: ConfigCacheOptions<T>['lastGood'];
  readonly #clock: Clock;
  readonly #random: Random;
  readonly #metrics: ConfigMetrics;
  readonly registry: Registry;

  #current: ConfigSnapshot<T> | undefined;
  #currentBytes: Uint8Array | undefined;
  #lastSavedAtMs = 0;
  #triedLastGood = false;
  #state: 'new' | 'running' | 'stopped' = 'new';
  #cancelTimer: (() => void) | undefined;
  #inFlight: Promise<PollOutcome> | undefined;
  #followUp: Promise<PollOutcome> | undefined;
  #abort: AbortController | undefined;

  constructor(options: ConfigCacheOptions<T>) {
    super();
    if (options.sources.length === 0 && !options.lastGood) {
      throw new MeridianError(
        'MERIDIAN_CONFIG_NO_SOURCES',
        `config "${options.name}": give at least one source`,
      );
    }
    this.name = options.name;
    this.#publicKey = toPublicKey(options.publicKey);
    this.#validate = toDataValidator(options.schema);
    this.#sources = options.sources;
    this.#intervalMs = positive(options.pollIntervalMs ?? 30_000, 'pollIntervalMs');
    this.#coldIntervalMs = positive(options.coldPollIntervalMs ?? 1_000, 'coldPollIntervalMs');
    this.#jitter = options.jitterRatio ?? 0.2;
    if (!(this.#jitter >= 0 && this.#jitter < 1)) {
      throw new MeridianError('MERIDIAN_CONFIG_INVALID_OPTION', 'jitterRatio must be in [0, 1)');
    }
    this.#timeoutMs = positive(options.sourceTimeoutMs ?? 5_000, 'sourceTimeoutMs');
    this.#maxBytes = positive(options.maxBytes ?? 16 * 1024 * 1024, 'maxBytes');
    this.#lastGood = options.lastGood;
    this.#olderAlertPolls = positive(options.olderStreakAlertPolls ?? 5, 'olderStreakAlertPolls');
    this.#clock = options.clock ?? systemClock;
    this.#random = options.random ?? systemRandom;
    this.registry = options.registry ?? new Registry();
    this.#metrics = configMetrics(this.registry);
    this.#metrics.warm.set({ config: this.name }, 0);
    this.#metrics.version.set({ config: this.name }, 0);
    this.#metrics.olderStreak.set({ config: this.name }, 0);
  }

  /** The current data, deep-frozen. Throws MERIDIAN_CONFIG_NOT_WARM before the first load. */
  get(): T {
    const current = this.#current;
    if (current === undefined) {
      throw new MeridianError('MERIDIAN_CONFIG_NOT_WARM', `config "${this.name}" is not loaded yet`);
    }
    return current.data;
  }

  /** The whole current snapshot (name, version, createdAt, expiresAt, data), or undefined. */
  snapshot(): ConfigSnapshot<T> | undefined {
    return this.#current;
  }

  /** The version served now; 0 before the first load. */
  version(): number {
    return this.#current?.version ?? 0;
  }

  /** The current run of polls offered an older version than the one held; undefined when none. */
  olderStreak(): OlderStreak | undefined {
    return this.#older ? { ...this.#older } : undefined;
  }

  /** False until the first complete snapshot has been verified and swapped in. */
  isWarm(): boolean {
    return this.#current !== undefined;
  }

  /** Resolves once warm; rejects with MERIDIAN_CONFIG_WARM_TIMEOUT after `timeoutMs` (on the cache's clock). */
  waitUntilWarm(timeoutMs: number): Promise<void> {
    if (this.isWarm()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onWarm = (): void => {
        cancel();
        resolve();
      };
      const cancel = this.#clock.setTimeout(() => {
        this.off('meridian:config:warm', onWarm);
        reject(
          new MeridianError(
            'MERIDIAN_CONFIG_WARM_TIMEOUT',
            `config "${this.name}" did not load within ${timeoutMs} ms; see meridian:config:source-failed / rejected events`,
          ),
        );
      }, timeoutMs);
      this.once('meridian:config:warm', onWarm);
    });
  }

  /** Starts polling (first poll now). Throws MERIDIAN_CONFIG_STOPPED after `stop()`. */
  start(): void {
    if (this.#state === 'stopped') {
      throw new MeridianError(
        'MERIDIAN_CONFIG_STOPPED',
        `config "${this.name}" was stopped; create a new cache`,
      );
    }
    if (this.#state === 'running') return;
    this.#state = 'running';
    void this.#loop();
  }

  /** Stops polling, aborts a poll in flight, waits for it, and closes the sources. */
  async stop(): Promise<void> {
    if (this.#state === 'stopped') return;
    this.#state = 'stopped';
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    this.#abort?.abort();
    await this.#followUp;
    await this.#inFlight;
    await Promise.all(this.#sources.map((s) => s.close?.().catch(() => undefined)));
  }

  /**
   * Runs a poll that starts after this call: at once, or right after the poll in flight
   * (callers arriving meanwhile share that follow-up). Never rejects.
   */
  pollNow(): Promise<PollOutcome> {
    if (this.#followUp) return this.#followUp;
    const inFlight = this.#inFlight;
    if (!inFlight) return this.#startPoll();
    this.#followUp = inFlight.then(() => {
      this.#followUp = undefined;
      return this.#startPoll();
    });
    return this.#followUp;
  }

  #startPoll(): Promise<PollOutcome> {
    const run = this.#poll().finally(() => {
      if (this.#inFlight === run) this.#inFlight = undefined;
    });
    this.#inFlight = run;
    return run;
  }

  /** Emits without letting a throwing listener break the poll loop (it becomes a process warning). */
  #emit<K extends keyof ConfigEvents>(event: K, payload: ConfigEvents[K]): void {
    try {
      this.emit(event, payload);
    } catch (err) {
      process.emitWarning(
        `a ${event} listener of config "${this.name}" threw: ${(err as Error)?.message ?? err}`,
      );
    }
  }

  async #loop(): Promise<void> {
    if (this.#state !== 'running') return;
    await this.pollNow();
    if (this.#state !== 'running') return;
    const mean = this.isWarm() ? this.#intervalMs : this.#coldIntervalMs;
    const delay = mean * (1 + this.#jitter * (2 * this.#random.next() - 1));
    this.#cancelTimer = this.#clock.setTimeout(() => {
      this.#cancelTimer = undefined;
      void this.#loop();
    }, delay);
  }

  async #poll(): Promise<PollOutcome> {
    if (this.#state === 'stopped') return { outcome: 'failed', version: this.version() };
    const abort = new AbortController();
    this.#abort = abort;
    let outcome: PollOutcome | undefined;
    let sawRejection = false;
    let older: { source: string; version: number } | undefined;
    const refused = (source: string, refusal: Refusal): void => {
      sawRejection = true;
      if (refusal.reason === 'older-version' && refusal.version !== undefined) {
        older = { source, version: refusal.version };
      }
    };
    for (const source of this.#sources) {
      if (abort.signal.aborted) break;
      const state = this.#states.get(source.name) ?? {};
      const fetched = await this.#fetch(source, state.cursor, abort.signal);
      if (fetched.kind === 'failed' || fetched.kind === 'empty') {
        this.#reportFailure(source.name, fetched.detail);
        continue;
      }
      if (fetched.kind === 'unchanged') {
        if (state.refused && fetched.cursor === undefined) {
          // Still the snapshot refused last time: counted again, not fetched, verified or reported again.
          this.#metrics.rejections.inc({
            config: this.name,
            source: source.name,
            reason: state.refused.reason,
          });
          refused(source.name, state.refused);
          continue;
        }
        if (fetched.cursor !== undefined) this.#states.set(source.name, { cursor: fetched.cursor });
        outcome = { outcome: 'unchanged', source: source.name, version: this.version() };
        break;
      }
      if (fetched.kind === 'too-large') {
        const refusal: Refusal = {
          reason: 'too-large',
          detail: fetched.detail,
          ...(fetched.version === undefined ? {} : { version: fetched.version }),
        };
        this.#refuse(source.name, refusal, fetched.cursor, `size ${fetched.size}`);
        refused(source.name, refusal);
        continue;
      }
      const result = this.#consider(source.name, fetched.bytes, fetched.cursor);
      if (result !== 'accepted' && result !== 'unchanged') {
        refused(source.name, result);
        continue;
      }
      if (fetched.cursor !== undefined) this.#states.set(source.name, { cursor: fetched.cursor });
      outcome = { outcome: result, source: source.name, version: this.version() };
      break;
    }
    if (this.#abort === abort) this.#abort = undefined;
    if (outcome) {
      this.#metrics.lastSuccess.set({ config: this.name }, this.#clock.now() / 1000);
      await this.#saveLastGood(outcome.outcome === 'accepted');
    } else if (!this.isWarm() && !abort.signal.aborted) {
      outcome = await this.#tryLastGood();
    }
    if (older) this.#extendOlderStreak(older);
    else if (outcome) this.#endOlderStreak();
    const final: PollOutcome = outcome ?? {
      outcome: sawRejection ? 'rejected' : 'failed',
      version: this.version(),
    };
    this.#metrics.polls.inc({ config: this.name, outcome: final.outcome });
    this.#emit('meridian:config:poll', { ...final, config: this.name });
    return final;
  }

  async #fetch(source: ConfigSource, cursor: string | undefined, parent: AbortSignal): Promise<SourceFetch> {
    const abort = new AbortController();
    const onParent = (): void => abort.abort(parent.reason);
    parent.addEventListener('abort', onParent, { once: true });
    const cancel = this.#clock.setTimeout(
      () => abort.abort(new Error(`timed out after ${this.#timeoutMs} ms`)),
      this.#timeoutMs,
    );
    try {
      return await source.fetch({
        cursor,
        currentVersion: this.version(),
        maxBytes: this.#maxBytes,
        signal: abort.signal,
      });
    } catch (err) {
      return { kind: 'failed', detail: err instanceof Error ? err.message : String(err) };
    } finally {
      cancel();
      parent.removeEventListener('abort', onParent);
    }
  }

  /**
   * Verifies and maybe swaps in `bytes`: 'accepted', 'unchanged' when it is the version
   * already held, or the refusal (counted, and reported once per distinct snapshot).
   */
  #consider(
    source: string,
    bytes: Uint8Array,
    cursor: string | undefined,
  ): 'accepted' | 'unchanged' | Refusal {
    const result = verifySnapshot(bytes, {
      name: this.name,
      publicKey: this.#publicKey,
      validate: this.#validate,
      currentVersion: this.version(),
      nowMs: this.#clock.now(),
      maxBytes: this.#maxBytes,
    });
    if (result.ok) {
      this.#swap(source, result.snapshot, bytes);
      return 'accepted';
    }
    if (result.reason === 'same-version') return 'unchanged';
    const refusal: Refusal = {
      reason: result.reason,
      detail: result.detail,
      ...(result.version === undefined ? {} : { version: result.version }),
    };
    // The bytes, not the cursor, identify it: a source may serve the same bytes under new ETags.
    const identity = createHash('sha256').update(bytes).digest('base64url');
    this.#refuse(source, refusal, cursor, identity);
    return refusal;
  }

  /** Counts a refusal, remembers its cursor for the next poll, and reports it unless already reported. */
  #refuse(source: string, refusal: Refusal, cursor: string | undefined, identity: string): void {
    this.#metrics.rejections.inc({ config: this.name, source, reason: refusal.reason });
    if (cursor !== undefined) this.#states.set(source, { cursor, refused: refusal });
    const key = `${refusal.reason}|${refusal.version ?? '?'}|${identity}`;
    const seen = this.#reported.get(source) ?? [];
    if (seen.includes(key)) return;
    seen.push(key);
    if (seen.length > REPORTED_PER_SOURCE) seen.shift();
    this.#reported.set(source, seen);
    this.#emit('meridian:config:rejected', {
      config: this.name,
      source,
      reason: refusal.reason,
      detail: refusal.detail,
      ...(refusal.version === undefined ? {} : { version: refusal.version }),
    });
  }

  #extendOlderStreak(offer: { source: string; version: number }): void {
    const streak = this.#older ?? {
      polls: 0,
      sinceMs: this.#clock.now(),
      source: offer.source,
      offeredVersion: offer.version,
      alerting: false,
    };
    this.#older = streak;
    streak.polls++;
    streak.source = offer.source;
    streak.offeredVersion = offer.version;
    this.#metrics.olderStreak.set({ config: this.name }, streak.polls);
    if (!streak.alerting && streak.polls >= this.#olderAlertPolls) {
      streak.alerting = true;
      this.#emit('meridian:config:older-streak', {
        config: this.name,
        polls: streak.polls,
        sinceMs: streak.sinceMs,
        source: streak.source,
        offeredVersion: streak.offeredVersion,
        heldVersion: this.version(),
      });
    }
  }

  #endOlderStreak(): void {
    const streak = this.#older;
    if (!streak) return;
    this.#older = undefined;
    this.#metrics.olderStreak.set({ config: this.name }, 0);
    if (streak.alerting)
      this.#emit('meridian:config:older-streak-ended', { config: this.name, polls: streak.polls });
  }

  #swap(source: string, snapshot: ConfigSnapshot<T>, bytes: Uint8Array): void {
    const previousVersion = this.version();
    const wasWarm = this.isWarm();
    this.#current = snapshot;
    this.#currentBytes = bytes;
    // A new version: every source is judged afresh (its refusals are reported again if they recur).
    this.#states.clear();
    this.#reported.clear();
    this.#metrics.version.set({ config: this.name }, snapshot.version);
    this.#emit('meridian:config:accepted', {
      config: this.name,
      source,
      version: snapshot.version,
      previousVersion,
    });
    if (!wasWarm) {
      this.#metrics.warm.set({ config: this.name }, 1);
      this.#emit('meridian:config:warm', { config: this.name, source, version: snapshot.version });
    }
  }

  #reportFailure(source: string, detail: string): void {
    this.#metrics.sourceFailures.inc({ config: this.name, source });
    this.#emit('meridian:config:source-failed', { config: this.name, source, detail });
  }

  async #tryLastGood(): Promise<PollOutcome | undefined> {
    const lastGood = this.#lastGood;
    if (!lastGood || this.#triedLastGood) return undefined;
    this.#triedLastGood = true;
    const copy = await lastGood.store.load().catch(() => undefined);
    if (!copy) {
      this.#reportFailure(LAST_GOOD_SOURCE, 'no last-good copy on disk');
      return undefined;
    }
    const ageMs = this.#clock.now() - copy.savedAtMs;
    if (ageMs > lastGood.maxAgeMs) {
      this.#metrics.rejections.inc({ config: this.name, source: LAST_GOOD_SOURCE, reason: 'stale-copy' });
      this.#emit('meridian:config:rejected', {
        config: this.name,
        source: LAST_GOOD_SOURCE,
        reason: 'stale-copy',
        detail: `last-good copy is ${Math.round(ageMs / 1000)} s old, over maxAgeMs ${lastGood.maxAgeMs}`,
      });
      return undefined;
    }
    const result = this.#consider(LAST_GOOD_SOURCE, copy.bytes, undefined);
    if (result !== 'accepted') return undefined;
    this.#lastSavedAtMs = copy.savedAtMs;
    return { outcome: 'accepted', source: LAST_GOOD_SOURCE, version: this.version() };
  }

  /** Writes the copy on a new snapshot, and refreshes its age after a quarter of maxAgeMs. */
  async #saveLastGood(changed: boolean): Promise<void> {
    const lastGood = this.#lastGood;
    const bytes = this.#currentBytes;
    if (!lastGood || !bytes) return;
    const now = this.#clock.now();
    if (!changed && now - this.#lastSavedAtMs < lastGood.maxAgeMs / 4) return;
    try {
      await lastGood.store.save({ bytes, savedAtMs: now });
      this.#lastSavedAtMs = now;
    } catch (err) {
      this.#reportFailure(LAST_GOOD_SOURCE, `saving the last-good copy failed: ${(err as Error).message}`);
    }
  }
}

function positive(value: number, field: string): number {
  if (!(Number.isFinite(value) && value > 0)) {
    throw new MeridianError(
      'MERIDIAN_CONFIG_INVALID_OPTION',
      `${field} must be a positive number, got ${value}`,
    );
  }
  return value;
}
