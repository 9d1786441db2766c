// A population's stub-resolver cache: answers kept for exactly their TTL, like a real resolver.
import type { Clock } from '../core/index.js';

export interface CachedAnswer {
  readonly addresses: readonly string[];
  readonly expiresAtMs: number;
}

/** Caches answers per name until their TTL runs out (by the injected clock). */
export class ResolverCache {
  readonly #clock: Clock;
  readonly #entries = new Map<string, CachedAnswer>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** The live answer for `name`, or undefined once its TTL has passed. */
  get(name: string): CachedAnswer | undefined {
    const e = this.#entries.get(name);
    if (!e) return undefined;
    if (this.#clock.monotonic() >= e.expiresAtMs) {
      this.#entries.delete(name);
      return undefined;
    }
    return e;
  }

  /** Stores an answer; a zero TTL is not cached. */
  put(name: string, addresses: readonly string[], ttlSeconds: number): void {
    if (ttlSeconds <= 0) {
      this.#entries.delete(name);
      return;
    }
    this.#entries.set(name, {
      addresses: [...addresses],
      expiresAtMs: this.#clock.monotonic() + ttlSeconds * 1000,
    });
  }

  /** Forgets `name` (after every cached address failed). */
  invalidate(name: string): void {
    this.#entries.delete(name);
  }
}
