// Signatures kept per (key, RRset bytes, refresh period), so the steady-state cost of signing
// answers is a map lookup: a P-256 signature is computed once per RRset per period. Bounded:
// the least recently used entries go first.
import type { DnssecKey } from './dnssec-key.js';
import { canonicalRrset, type RrsetToSign, signRrset } from './sign-rrset.js';
import { DEFAULT_VALIDITY, type ValidityPolicy, validityWindow } from './validity-window.js';

export interface SignatureCacheStats {
  readonly hits: number;
  readonly misses: number;
  readonly size: number;
}

export class SignatureCache {
  readonly #max: number;
  readonly #policy: ValidityPolicy;
  readonly #entries = new Map<string, Buffer>();
  #hits = 0;
  #misses = 0;

  constructor(options: { maxEntries?: number; policy?: ValidityPolicy } = {}) {
    this.#max = options.maxEntries ?? 100_000;
    this.#policy = options.policy ?? DEFAULT_VALIDITY;
  }

  get stats(): SignatureCacheStats {
    return { hits: this.#hits, misses: this.#misses, size: this.#entries.size };
  }

  /** The RRSIG RDATA for `rrset` by `key` at `nowSeconds`: cached, or signed now. */
  rrsig(rrset: RrsetToSign, key: DnssecKey, signer: Buffer, nowSeconds: number): Buffer {
    const bytes = canonicalRrset(rrset);
    const seed = bytes.subarray(0, rrset.owner.length + 2);
    const window = validityWindow(nowSeconds, seed, this.#policy);
    const id = `${key.keyTag}:${window.period}:${rrset.ttl}:${bytes.toString('latin1')}`;
    const hit = this.#entries.get(id);
    if (hit) {
      this.#hits += 1;
      this.#entries.delete(id);
      this.#entries.set(id, hit);
      return hit;
    }
    this.#misses += 1;
    const made = signRrset(rrset, key, signer, window);
    if (this.#entries.size >= this.#max) this.#entries.delete(this.#entries.keys().next().value as string);
    this.#entries.set(id, made);
    return made;
  }
}
