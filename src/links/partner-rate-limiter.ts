// Admission to a partner's request budget in this region: each partner may spend
// min(`rateLimitRps`, the world's `limits.partnerRps`) requests per second, and each client
// (see clientPrefix) at most `clientSharePercent` of that, checked first, so one client cannot
// spend a partner's budget for everyone else. Memory only, bounded; each region limits on its own.
import type { Clock } from '../core/index.js';
import { TokenBuckets } from './token-buckets.js';

export type RateDecision =
  | { readonly ok: true }
  | {
      readonly ok: false;
      /** Which budget is spent: the client's share, or the partner's whole rate. */
      readonly limit: 'client' | 'partner';
      /** Whole seconds until a retry can succeed (the `Retry-After` header). */
      readonly retryAfterSeconds: number;
    };

export interface PartnerRateLimiterOptions {
  /** Bounds every partner's rate in this region (the world file's `limits.partnerRps`). */
  readonly capRps?: number;
  /** Share of a partner's rate one client may use, in percent (default 10; at least 1 request/s). */
  readonly clientSharePercent?: number;
  /** Most partner buckets kept (default 100 000). */
  readonly maxPartners?: number;
  /** Most client buckets kept (default 100 000, about 10 MB); the least recently seen go first. */
  readonly maxClients?: number;
}

export class PartnerRateLimiter {
  readonly #clock: Clock;
  readonly #capRps: number;
  readonly #clientShare: number;
  readonly #partners: TokenBuckets;
  readonly #clients: TokenBuckets;

  constructor(clock: Clock, options: PartnerRateLimiterOptions = {}) {
    this.#clock = clock;
    this.#capRps = options.capRps ?? Number.POSITIVE_INFINITY;
    this.#clientShare = (options.clientSharePercent ?? 10) / 100;
    this.#partners = new TokenBuckets(options.maxPartners ?? 100_000);
    this.#clients = new TokenBuckets(options.maxClients ?? 100_000);
  }

  /**
   * Takes one request from `partnerId`'s budget at min(`ratePerSecond`, cap). With `client`, the
   * client's share is taken first; a client over its share never reaches the partner's bucket.
   */
  take(partnerId: string, ratePerSecond: number, client?: string): RateDecision {
    const rate = Math.min(ratePerSecond, this.#capRps);
    const now = this.#clock.monotonic();
    if (client !== undefined) {
      const own = this.#clients.take(`${partnerId} ${client}`, Math.max(1, rate * this.#clientShare), now);
      if (!own.ok) return { ok: false, limit: 'client', retryAfterSeconds: own.retryAfterSeconds };
    }
    const shared = this.#partners.take(partnerId, rate, now);
    return shared.ok ? shared : { ok: false, limit: 'partner', retryAfterSeconds: shared.retryAfterSeconds };
  }

  /** Client buckets held now (bounded by `maxClients`). */
  clients(): number {
    return this.#clients.size;
  }
}

/** The links error (`code`, `message`) for a refused decision. */
export function rateLimitError(
  decision: Extract<RateDecision, { ok: false }>,
  partnerId: string,
): { code: 'client-rate-limited' | 'rate-limited'; message: string } {
  return decision.limit === 'client'
    ? {
        code: 'client-rate-limited',
        message: `this client is over its share of partner ${partnerId}'s rate; retry in ${decision.retryAfterSeconds} s`,
      }
    : {
        code: 'rate-limited',
        message: `partner ${partnerId} is over its requests/s in this region; retry in ${decision.retryAfterSeconds} s`,
      };
}
