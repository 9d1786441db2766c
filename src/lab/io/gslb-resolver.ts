// A population's stub resolver: A queries with ECS over UDP to the GSLB (through its latency
// link), answers cached for their TTL.
import { createSocket, type Socket } from 'node:dgram';
import { type Clock, type IpPrefix, type Random, systemClock, systemRandom } from '../../core/index.js';
import { decodeGslbAnswer, encodeGslbQuery } from '../gslb-query.js';
import { ResolverCache } from '../resolver-cache.js';
import { orderForReply, type ResolverOrder } from '../rrset-order.js';

export interface GslbResolverOptions {
  /** Where queries go (the GSLB, or the latency link in front of it). */
  readonly serverHost: string;
  readonly serverPort: number;
  readonly subnet: IpPrefix;
  /** Per attempt (default 2000 ms). */
  readonly timeoutMs?: number;
  /** Attempts per resolution (default 2). */
  readonly attempts?: number;
  /** `keep` the name server's order (default) or `rotate` it per reply, as unbound does. */
  readonly order?: ResolverOrder;
  readonly clock?: Clock;
  readonly random?: Random;
}

export type Resolution =
  | {
      readonly ok: true;
      readonly addresses: readonly string[];
      readonly cached: boolean;
      readonly ms: number;
    }
  | { readonly ok: false; readonly reason: string; readonly ms: number };

interface Waiter {
  readonly resolve: (msg: Buffer | undefined) => void;
}

/** Resolves names for one user population; `start()` binds the socket, `stop()` closes it. */
export class GslbResolver {
  readonly #options: GslbResolverOptions;
  readonly #clock: Clock;
  readonly #random: Random;
  readonly cache: ResolverCache;
  readonly #waiters = new Map<number, Waiter>();
  readonly #inFlight = new Map<string, Promise<Resolution>>();
  #socket: Socket | undefined;
  #queries = 0;

  constructor(options: GslbResolverOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.#random = options.random ?? systemRandom;
    this.cache = new ResolverCache(this.#clock);
  }

  /** Queries sent since start (cache hits send none). */
  get queries(): number {
    return this.#queries;
  }

  async start(): Promise<void> {
    if (this.#socket) return;
    const s = createSocket('udp4');
    s.on('error', () => {});
    s.on('message', (msg) => {
      if (msg.length < 2) return;
      const w = this.#waiters.get(msg.readUInt16BE(0));
      w?.resolve(msg);
    });
    await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
    this.#socket = s;
  }

  async stop(): Promise<void> {
    for (const w of this.#waiters.values()) w.resolve(undefined);
    this.#waiters.clear();
    const s = this.#socket;
    this.#socket = undefined;
    if (s) await new Promise<void>((r) => s.close(() => r()));
  }

  /**
   * The addresses for `name`: from the cache while its TTL lasts, else from the GSLB. Callers
   * asking while a query is out share it, as behind a real recursive resolver.
   */
  resolve(name: string): Promise<Resolution> {
    const hit = this.cache.get(name);
    if (hit)
      return Promise.resolve({ ok: true, addresses: this.#ordered(hit.addresses), cached: true, ms: 0 });
    const t0 = this.#clock.monotonic();
    let pending = this.#inFlight.get(name);
    if (!pending) {
      pending = this.#query(name).finally(() => this.#inFlight.delete(name));
      this.#inFlight.set(name, pending);
    }
    // Each caller waited from its own start, and gets its own order of the RRset.
    return pending.then((r) =>
      r.ok
        ? { ...r, addresses: this.#ordered(r.addresses), ms: this.#clock.monotonic() - t0 }
        : { ...r, ms: this.#clock.monotonic() - t0 },
    );
  }

  #ordered(addresses: readonly string[]): readonly string[] {
    return orderForReply(addresses, this.#options.order ?? 'keep', () => this.#random.next());
  }

  async #query(name: string): Promise<Resolution> {
    const t0 = this.#clock.monotonic();
    let reason = 'timeout';
    for (let attempt = 0; attempt < (this.#options.attempts ?? 2); attempt++) {
      const msg = await this.#exchange(name);
      if (!msg) {
        if (!this.#socket) return { ok: false, reason: 'stopped', ms: this.#clock.monotonic() - t0 };
        continue;
      }
      const answer = decodeGslbAnswer(msg);
      const ms = this.#clock.monotonic() - t0;
      if (!answer.ok) {
        reason = answer.reason;
        continue;
      }
      this.cache.put(name, answer.addresses, answer.ttlSeconds);
      return { ok: true, addresses: answer.addresses, cached: false, ms };
    }
    return { ok: false, reason, ms: this.#clock.monotonic() - t0 };
  }

  #exchange(name: string): Promise<Buffer | undefined> {
    const socket = this.#socket;
    if (!socket) return Promise.resolve(undefined);
    let id = Math.floor(this.#random.next() * 65536);
    for (let i = 0; i < 16 && this.#waiters.has(id); i++) id = (id + 1) & 0xffff;
    const query = encodeGslbQuery(id, name, this.#options.subnet);
    this.#queries += 1;
    return new Promise((resolve) => {
      const cancel = this.#clock.setTimeout(() => finish(undefined), this.#options.timeoutMs ?? 2000);
      const finish = (msg: Buffer | undefined) => {
        cancel();
        this.#waiters.delete(id);
        resolve(msg);
      };
      this.#waiters.set(id, { resolve: finish });
      socket.send(query, this.#options.serverPort, this.#options.serverHost);
    });
  }
}
