// Which TCP connections the DNS server keeps: a cap per client (IPv4 address or IPv6 /64) and an
// overall cap at which a new connection replaces the one that has gone longest without a query.
import type { ClientAddress } from './answer.js';

export type TcpAdmissionVerdict<T> =
  /** Admitted; `evict` (already forgotten here) is the connection to close to make room, if any. */
  | { ok: true; evict: T | null }
  /** Refused: the client already holds `maxPerClient` connections. */
  | { ok: false };

/**
 * Bookkeeping only (no sockets, no clock). Connections that have not completed a query yet are
 * evicted first, oldest first; then those served least recently. A new connection is the youngest,
 * so a legitimate client's query gets in ahead of slow ones that hold connections without one
 * (gdnsd does the same: the longest-idle connection is closed for a new one).
 */
export class TcpAdmission<T> {
  /** No whole query yet, in accept order. */
  readonly #fresh = new Set<T>();
  /** When each other connection last completed a query. Updated in place: no Set churn per query. */
  readonly #servedAt = new Map<T, number>();
  readonly #keyOf = new Map<T, string>();
  readonly #perClient = new Map<string, number>();

  constructor(
    readonly maxConnections: number,
    readonly maxPerClient: number,
  ) {}

  /** Connections held now. */
  get size(): number {
    return this.#keyOf.size;
  }

  /** Every connection held. */
  connections(): IterableIterator<T> {
    return this.#keyOf.keys();
  }

  /** Takes `conn` from the client `key` (see `clientKey`) unless that client is at its cap. */
  admit(conn: T, key: string): TcpAdmissionVerdict<T> {
    const held = this.#perClient.get(key) ?? 0;
    if (held >= this.maxPerClient) return { ok: false };
    let evict: T | null = null;
    if (this.#keyOf.size >= this.maxConnections) {
      evict = first(this.#fresh) ?? leastRecent(this.#servedAt);
      if (evict !== null) this.remove(evict);
    }
    this.#perClient.set(key, (this.#perClient.get(key) ?? 0) + 1);
    this.#keyOf.set(conn, key);
    this.#fresh.add(conn);
    return { ok: true, evict };
  }

  /** `conn` completed a query at `atMs` (monotonic): it becomes the last to be evicted. */
  served(conn: T, atMs: number): void {
    if (this.#fresh.delete(conn) || this.#servedAt.has(conn)) this.#servedAt.set(conn, atMs);
  }

  /** Forgets `conn` (closed); idempotent. */
  remove(conn: T): void {
    const key = this.#keyOf.get(conn);
    if (key === undefined) return;
    this.#keyOf.delete(conn);
    this.#fresh.delete(conn);
    this.#servedAt.delete(conn);
    const n = (this.#perClient.get(key) ?? 1) - 1;
    if (n > 0) this.#perClient.set(key, n);
    else this.#perClient.delete(key);
  }
}

function first<T>(set: Set<T>): T | null {
  for (const x of set) return x;
  return null;
}

/** A scan, but only when the cap is reached and every connection has been served. */
function leastRecent<T>(servedAt: Map<T, number>): T | null {
  let best: T | null = null;
  let bestAt = Number.POSITIVE_INFINITY;
  for (const [conn, at] of servedAt) {
    if (at < bestAt) {
      best = conn;
      bestAt = at;
    }
  }
  return best;
}

/** The unit of the per-client cap: the IPv4 address, or the IPv6 /64 (what one host usually gets). */
export function clientKey(client: ClientAddress): string {
  if (client.family === 4) return client.bytes.join('.');
  return `${Buffer.from(client.bytes.subarray(0, 8)).toString('hex')}/64`;
}
