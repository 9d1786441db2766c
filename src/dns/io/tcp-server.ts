// The TCP listener (RFC 1035 §4.2.2, RFC 7766): 2-byte length-prefixed messages, several per
// connection; reading stops while answers wait; deadlines per message; per-client and overall caps.
import { createServer, type Server, type Socket } from 'node:net';
import { type Clock, MeridianError, systemClock } from '../../core/index.js';
import type { ClientAddress } from '../answer.js';
import type { DnsHandler } from '../dns-handler.js';
import { DnsQuery } from '../dns-query.js';
import { clientKey, TcpAdmission } from '../tcp-admission.js';
import { ClientAddressCache } from './client-address-cache.js';

export interface TcpServerOptions {
  host: string;
  port: number;
  handler: DnsHandler;
  /** Close a connection that completes no query for this long (default 10 s); bytes alone do not count. */
  idleTimeoutMs?: number;
  /**
   * A query must arrive whole within this long of its first byte, and answers the client leaves
   * unread (reading is paused meanwhile) must be taken within this long (default 2 s).
   */
  messageTimeoutMs?: number;
  /** At most this many connections (default 256); one more closes the one longest without a query. */
  maxConnections?: number;
  /** At most this many connections per client IPv4 address or IPv6 /64 (default 16); more are closed at accept. */
  maxConnectionsPerClient?: number;
  clock?: Clock;
}

export const DEFAULT_TCP_IDLE_MS = 10_000;
export const DEFAULT_TCP_MESSAGE_TIMEOUT_MS = 2_000;
export const DEFAULT_TCP_MAX_CONNECTIONS = 256;
export const DEFAULT_TCP_MAX_CONNECTIONS_PER_CLIENT = 16;

/** Why the server closed a connection. */
export type TcpCloseReason =
  | 'perClientLimit'
  | 'evicted'
  | 'idleTimeout'
  | 'messageTimeout'
  | 'writeTimeout'
  | 'notDns';

export interface TcpServerStats {
  /** Connections open now. */
  connections: number;
  /** Connections whose reading is paused until their answers drain. */
  paused: number;
  /** Answer bytes queued in this process (not yet taken by the kernel), all connections. */
  queuedAnswerBytes: number;
  /** Bytes read since start. */
  bytesIn: number;
  /** Times reading was paused because answers were not taken. */
  readPauses: number;
  /** Connections the server closed, by reason. */
  closed: Record<TcpCloseReason, number>;
}

interface Connection {
  readonly socket: Socket;
  readonly client: ClientAddress;
  /** Bytes read and not yet answered: a partial message, or whole ones waiting while paused. */
  pending: Buffer;
  /** Monotonic ms of the last completed query (or of the accept, or of the last drain). */
  lastDoneAt: number;
  /** Monotonic ms of the first byte of the message still incomplete; null when none is. */
  partialSince: number | null;
  /** Monotonic ms when reading was paused for unread answers; null while reading. */
  blockedSince: number | null;
  timerAt: number;
  cancelTimer: (() => void) | null;
  closed: boolean;
}

const EMPTY = Buffer.alloc(0);
/** Answers are written in pieces of about this many bytes (also the socket's high-water mark). */
const FLUSH_BYTES = 16 * 1024;

export class TcpServer {
  readonly #opts: TcpServerOptions;
  readonly #clock: Clock;
  readonly #idleMs: number;
  readonly #messageMs: number;
  readonly #admission: TcpAdmission<Connection>;
  readonly #q = new DnsQuery();
  readonly #addresses = new ClientAddressCache();
  /** Framed answers not yet written; always empty between events (one thread, flushed before return). */
  readonly #out = Buffer.allocUnsafe(FLUSH_BYTES + 2 + 65_535);
  #outLen = 0;
  #server: Server | null = null;
  #bytesIn = 0;
  #readPauses = 0;
  readonly #closed: Record<TcpCloseReason, number> = {
    perClientLimit: 0,
    evicted: 0,
    idleTimeout: 0,
    messageTimeout: 0,
    writeTimeout: 0,
    notDns: 0,
  };
  port = 0;

  constructor(opts: TcpServerOptions) {
    this.#opts = opts;
    this.#clock = opts.clock ?? systemClock;
    this.#idleMs = opts.idleTimeoutMs ?? DEFAULT_TCP_IDLE_MS;
    this.#messageMs = opts.messageTimeoutMs ?? DEFAULT_TCP_MESSAGE_TIMEOUT_MS;
    this.#admission = new TcpAdmission(
      opts.maxConnections ?? DEFAULT_TCP_MAX_CONNECTIONS,
      opts.maxConnectionsPerClient ?? DEFAULT_TCP_MAX_CONNECTIONS_PER_CLIENT,
    );
  }

  /** Open connections now. */
  get connections(): number {
    return this.#admission.size;
  }

  stats(): TcpServerStats {
    let paused = 0;
    let queued = 0;
    for (const c of this.#admission.connections()) {
      if (c.blockedSince !== null) paused++;
      queued += c.socket.writableLength;
    }
    return {
      connections: this.#admission.size,
      paused,
      queuedAnswerBytes: queued,
      bytesIn: this.#bytesIn,
      readPauses: this.#readPauses,
      closed: { ...this.#closed },
    };
  }

  async start(): Promise<void> {
    const { host, port, handler } = this.#opts;
    const server = createServer({ noDelay: true }, (socket) => this.#accept(socket));
    server.on('error', (err) => handler.onError(err));
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err) =>
        reject(
          new MeridianError('MERIDIAN_DNS_LISTEN', `cannot listen on tcp ${host}:${port}: ${err.message}`, {
            cause: err,
          }),
        ),
      );
      server.listen(port, host, () => resolve());
    });
    this.#server = server;
    const addr = server.address();
    this.port = typeof addr === 'object' && addr ? addr.port : 0;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = null;
    for (const c of [...this.#admission.connections()]) {
      this.#forget(c);
      c.socket.destroy();
    }
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  #accept(socket: Socket): void {
    socket.on('error', () => socket.destroy());
    const remote = socket.remoteAddress;
    if (!remote) {
      socket.destroy(); // reset before we got to it
      return;
    }
    const now = this.#clock.monotonic();
    const conn: Connection = {
      socket,
      client: this.#addresses.get(remote),
      pending: EMPTY,
      lastDoneAt: now,
      partialSince: null,
      blockedSince: null,
      timerAt: 0,
      cancelTimer: null,
      closed: false,
    };
    const verdict = this.#admission.admit(conn, clientKey(conn.client));
    if (!verdict.ok) {
      this.#closed.perClientLimit++;
      socket.destroy();
      return;
    }
    if (verdict.evict) this.#close(verdict.evict, 'evicted');
    socket.on('close', () => this.#forget(conn));
    socket.on('data', (chunk: Buffer) => {
      if (conn.closed) return;
      this.#bytesIn += chunk.length;
      conn.pending = conn.pending.length === 0 ? chunk : Buffer.concat([conn.pending, chunk]);
      this.#answer(conn);
    });
    socket.on('drain', () => {
      if (conn.closed || conn.blockedSince === null) return;
      conn.blockedSince = null;
      conn.lastDoneAt = this.#clock.monotonic();
      this.#answer(conn);
      if (!conn.closed && conn.blockedSince === null) socket.resume();
    });
    this.#arm(conn);
  }

  /**
   * Answers every whole message in `pending`, until answers back up (then pauses reading).
   * Answers are framed into one scratch buffer and written in pieces of about FLUSH_BYTES: one
   * write and one short-lived buffer per piece, not per answer.
   */
  #answer(conn: Connection): void {
    const { handler } = this.#opts;
    const socket = conn.socket;
    const out = this.#out;
    const now = this.#clock.monotonic(); // one read of the clock per chunk, not per query
    let p = conn.pending;
    let completed = false;
    while (p.length >= 2) {
      const len = p.readUInt16BE(0);
      if (p.length < 2 + len) break;
      const msg = p.subarray(2, 2 + len); // the handler does not keep it past the call
      p = p.subarray(2 + len);
      completed = true;
      let res: Buffer | null = null;
      try {
        res = handler.handle(this.#q, msg, conn.client, 'tcp');
      } catch (err) {
        handler.onError(err);
      }
      if (!res && len < 12) {
        this.#outLen = 0;
        this.#close(conn, 'notDns'); // not DNS: do not keep the connection
        return;
      }
      this.#admission.served(conn, now);
      if (res) {
        out.writeUInt16BE(res.length, this.#outLen);
        res.copy(out, this.#outLen + 2);
        this.#outLen += 2 + res.length;
        if (this.#outLen >= FLUSH_BYTES && this.#flush(socket)) {
          this.#block(conn, p);
          return;
        }
      }
    }
    // at most one message (2 + 65 535 bytes) is ever buffered while reading
    conn.pending = p.length > 0 && p.buffer.byteLength > 4 * 65_537 ? Buffer.from(p) : p;
    if (this.#flush(socket)) {
      this.#block(conn, conn.pending);
      return;
    }
    if (completed) conn.lastDoneAt = now;
    conn.partialSince = p.length === 0 ? null : completed ? now : (conn.partialSince ?? now);
    this.#arm(conn);
  }

  /** Writes the framed answers gathered so far; true when the socket now wants a 'drain'. */
  #flush(socket: Socket): boolean {
    if (this.#outLen > 0) {
      socket.write(Buffer.from(this.#out.subarray(0, this.#outLen)));
      this.#outLen = 0;
    }
    return socket.writableNeedDrain;
  }

  /** The client is not taking its answers: read nothing more until they drain ('drain'). */
  #block(conn: Connection, pending: Buffer): void {
    const now = this.#clock.monotonic();
    conn.pending = pending;
    conn.lastDoneAt = now;
    conn.partialSince = null;
    conn.blockedSince = now;
    this.#readPauses++;
    conn.socket.pause();
    this.#arm(conn);
  }

  #deadline(conn: Connection): { at: number; reason: TcpCloseReason } {
    if (conn.blockedSince !== null)
      return { at: conn.blockedSince + this.#messageMs, reason: 'writeTimeout' };
    if (conn.partialSince !== null)
      return { at: conn.partialSince + this.#messageMs, reason: 'messageTimeout' };
    return { at: conn.lastDoneAt + this.#idleMs, reason: 'idleTimeout' };
  }

  /** One timer per connection, armed lazily: a later deadline is checked when the timer fires. */
  #arm(conn: Connection): void {
    if (conn.closed) return;
    const at = this.#deadline(conn).at;
    if (conn.cancelTimer && conn.timerAt <= at) return;
    conn.cancelTimer?.();
    conn.timerAt = at;
    conn.cancelTimer = this.#clock.setTimeout(() => {
      conn.cancelTimer = null;
      if (conn.closed) return;
      const d = this.#deadline(conn);
      if (this.#clock.monotonic() >= d.at) this.#close(conn, d.reason);
      else this.#arm(conn);
    }, at - this.#clock.monotonic());
  }

  #close(conn: Connection, reason: TcpCloseReason): void {
    if (conn.closed) return;
    this.#closed[reason]++;
    this.#forget(conn);
    conn.socket.destroy();
  }

  #forget(conn: Connection): void {
    conn.closed = true;
    conn.pending = EMPTY;
    conn.cancelTimer?.();
    conn.cancelTimer = null;
    this.#admission.remove(conn);
  }
}
