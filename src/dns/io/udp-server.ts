// The UDP listener: one socket, one reused DnsQuery, answers sent back to the source.
import { createSocket, type Socket } from 'node:dgram';
import { MeridianError } from '../../core/index.js';
import type { ClientAddress } from '../answer.js';
import { DnsQuery } from '../dns-query.js';
import { ClientAddressCache } from './client-address-cache.js';
import type { DnsHandler } from './dns-handler.js';

export interface UdpServerOptions {
  host: string;
  port: number;
  handler: DnsHandler;
  /** Kernel receive buffer in bytes (bursts from load generators). */
  recvBufferBytes?: number;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string, family: number) => void;

function literalLookup(address: string, family: unknown, callback: LookupCallback): void {
  const fam = typeof family === 'number' ? family : address.includes(':') ? 6 : 4;
  callback(null, address, fam);
}

/** A UDP DNS listener. `start()` binds; `port` is the bound port afterwards. */
export class UdpServer {
  readonly #opts: UdpServerOptions;
  #socket: Socket | null = null;
  port = 0;

  constructor(opts: UdpServerOptions) {
    this.#opts = opts;
  }

  async start(): Promise<void> {
    const { host, port, handler } = this.#opts;
    const socket = createSocket({
      type: host.includes(':') ? 'udp6' : 'udp4',
      reuseAddr: false,
      // replies go to rinfo.address, always an IP literal: skip dns.lookup and its nextTick per send
      lookup: literalLookup,
    });
    const q = new DnsQuery();
    const addresses = new ClientAddressCache();
    socket.on('message', (msg, rinfo) => {
      let res: Buffer | null;
      try {
        const client: ClientAddress = addresses.get(rinfo.address);
        res = handler.handle(q, msg, client, 'udp');
      } catch (err) {
        handler.onError(err);
        return;
      }
      if (res) socket.send(res, rinfo.port, rinfo.address);
    });
    socket.on('error', (err) => handler.onError(err));
    await new Promise<void>((resolve, reject) => {
      socket.once('error', (err) =>
        reject(
          new MeridianError('MERIDIAN_DNS_LISTEN', `cannot listen on udp ${host}:${port}: ${err.message}`, {
            cause: err,
          }),
        ),
      );
      socket.bind(port, host, () => resolve());
    });
    if (this.#opts.recvBufferBytes) {
      try {
        socket.setRecvBufferSize(this.#opts.recvBufferBytes);
      } catch {
        // the kernel may cap it; the default still works
      }
    }
    this.#socket = socket;
    this.port = socket.address().port;
  }

  async stop(): Promise<void> {
    const socket = this.#socket;
    this.#socket = null;
    if (socket) await new Promise<void>((resolve) => socket.close(() => resolve()));
  }
}
