// The TCP listener (RFC 1035 §4.2.2, RFC 7766): 2-byte length-prefixed messages, several per
// connection, an idle timeout, a bound on connections and on buffered bytes per connection.
import { createServer, type Server, type Socket } from 'node:net';
import { MeridianError } from '../../core/index.js';
import { DnsQuery } from '../dns-query.js';
import { ClientAddressCache } from './client-address-cache.js';
import type { DnsHandler } from './dns-handler.js';

export interface TcpServerOptions {
  host: string;
  port: number;
  handler: DnsHandler;
  /** Close a connection with no complete query for this long (default 10 s). */
  idleTimeoutMs?: number;
  /** Refuse connections beyond this many (default 256). */
  maxConnections?: number;
}

export const DEFAULT_TCP_IDLE_MS = 10_000;
export const DEFAULT_TCP_MAX_CONNECTIONS = 256;

export class TcpServer {
  readonly #opts: TcpServerOptions;
  #server: Server | null = null;
  readonly #sockets = new Set<Socket>();
  port = 0;

  constructor(opts: TcpServerOptions) {
    this.#opts = opts;
  }

  /** Open connections now. */
  get connections(): number {
    return this.#sockets.size;
  }

  async start(): Promise<void> {
    const { host, port, handler } = this.#opts;
    const idle = this.#opts.idleTimeoutMs ?? DEFAULT_TCP_IDLE_MS;
    const q = new DnsQuery();
    const addresses = new ClientAddressCache();
    const server = createServer({ noDelay: true }, (socket) => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
      socket.on('error', () => socket.destroy());
      socket.setTimeout(idle, () => socket.destroy());
      const client = addresses.get(socket.remoteAddress ?? '0.0.0.0');
      let pending: Buffer = Buffer.alloc(0);
      socket.on('data', (chunk: Buffer) => {
        pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
        // at most one full message (2 + 65 535 bytes) is ever buffered
        while (pending.length >= 2) {
          const len = pending.readUInt16BE(0);
          if (pending.length < 2 + len) break;
          const msg = pending.subarray(2, 2 + len);
          pending = pending.subarray(2 + len);
          let res: Buffer | null = null;
          try {
            res = handler.handle(q, Buffer.from(msg), client, 'tcp');
          } catch (err) {
            handler.onError(err);
          }
          if (res) {
            const framed = Buffer.allocUnsafe(2 + res.length);
            framed.writeUInt16BE(res.length, 0);
            res.copy(framed, 2);
            socket.write(framed);
          } else if (len < 12) {
            socket.destroy(); // not DNS: do not keep the connection
            return;
          }
        }
        if (pending.length > 0 && pending.buffer.byteLength > 4 * 65_537) pending = Buffer.from(pending);
      });
    });
    server.maxConnections = this.#opts.maxConnections ?? DEFAULT_TCP_MAX_CONNECTIONS;
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
    for (const s of this.#sockets) s.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
