// Who holds which connection: a per-client cap (refuse the newcomer) and a global cap that makes
// room for a newcomer by closing the oldest connection with no request in flight (a slow client
// still sending its headers, an idle keep-alive), else the one whose request started first.
// Pure: the caller closes what it is told to. Holds only open connections, so it stays bounded.
import { clientKeyOf } from './client-key.js';

export interface ConnectionCaps {
  /** Open connections in all (0: no cap). */
  readonly maxConnections: number;
  /** Open connections per client address, or IPv6 /64 (0: no cap). */
  readonly maxConnectionsPerClient: number;
}

export type Admission<Id> =
  | { readonly admitted: true; readonly evict?: Id }
  | { readonly admitted: false; readonly reason: 'per-client' };

interface Entry {
  readonly client: string;
  /** Sequence number of the request in flight, or 0 when there is none. */
  busySince: number;
}

export class ConnectionTable<Id> {
  readonly #caps: ConnectionCaps;
  /** In the order the connections were opened. */
  readonly #entries = new Map<Id, Entry>();
  readonly #perClient = new Map<string, number>();
  /** Connections told to close that have not closed yet (not counted against the cap again). */
  readonly #evicting = new Set<Id>();
  #sequence = 0;

  constructor(caps: ConnectionCaps) {
    this.#caps = caps;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Clients with at least one open connection. */
  get clients(): number {
    return this.#perClient.size;
  }

  /**
   * A new connection from `address`. When admitted it is counted; `evict` names a connection
   * the caller must close (its close() call follows as usual).
   */
  open(id: Id, address: string | undefined): Admission<Id> {
    const client = clientKeyOf(address);
    const held = this.#perClient.get(client) ?? 0;
    const { maxConnections, maxConnectionsPerClient } = this.#caps;
    if (maxConnectionsPerClient > 0 && held >= maxConnectionsPerClient) {
      return { admitted: false, reason: 'per-client' };
    }
    let evict: Id | undefined;
    if (maxConnections > 0 && this.#entries.size - this.#evicting.size >= maxConnections) {
      evict = this.#victim();
      if (evict !== undefined) this.#evicting.add(evict);
    }
    this.#entries.set(id, { client, busySince: 0 });
    this.#perClient.set(client, held + 1);
    return evict === undefined ? { admitted: true } : { admitted: true, evict };
  }

  /** A request started (true) or its response ended (false) on `id`. */
  busy(id: Id, busy: boolean): void {
    const e = this.#entries.get(id);
    if (e) e.busySince = busy ? ++this.#sequence : 0;
  }

  close(id: Id): void {
    const e = this.#entries.get(id);
    if (!e) return;
    this.#entries.delete(id);
    this.#evicting.delete(id);
    const left = (this.#perClient.get(e.client) ?? 1) - 1;
    if (left > 0) this.#perClient.set(e.client, left);
    else this.#perClient.delete(e.client);
  }

  #victim(): Id | undefined {
    let oldestBusy: Id | undefined;
    let oldestSince = Number.POSITIVE_INFINITY;
    for (const [id, e] of this.#entries) {
      if (this.#evicting.has(id)) continue;
      if (e.busySince === 0) return id;
      if (e.busySince < oldestSince) {
        oldestSince = e.busySince;
        oldestBusy = id;
      }
    }
    return oldestBusy;
  }
}
