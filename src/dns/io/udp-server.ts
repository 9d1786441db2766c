// The UDP listener: one socket, one reused DnsQuery, answers sent back to the source. Batched
// (native/udp-batch: recvmmsg/sendmmsg, one JS call per batch) when the addon loads, else node:dgram.
import { createSocket, type Socket } from 'node:dgram';
import { MeridianError } from '../../core/index.js';
import type { ClientAddress } from '../answer.js';
import type { DnsHandler } from '../dns-handler.js';
import { DnsQuery } from '../dns-query.js';
import { BatchUdpServer } from './batch-udp-server.js';
import { ClientAddressCache } from './client-address-cache.js';
import { loadUdpBatch, type UdpBatchStats } from './udp-batch-addon.js';

/** How datagrams are read and written: `batch` (native addon), `dgram`, or `auto` (batch if it loads). */
export type UdpIo = 'auto' | 'batch' | 'dgram';
export const UDP_IO_MODES: readonly UdpIo[] = ['auto', 'batch', 'dgram'];

export interface UdpServerOptions {
  host: string;
  port: number;
  handler: DnsHandler;
  /** Kernel receive buffer in bytes (bursts from load generators). */
  recvBufferBytes?: number;
  /** Default `auto`: the batch addon when it loads (Linux, built), node:dgram otherwise. */
  io?: UdpIo;
}

/** UDP queries dropped without an answer by the listener (not by the answer path). */
export interface UdpDrops {
  /** From source port 0: no reply can reach it (forged or broken), so it is not answered. */
  sourcePortZero: number;
  /** Answers the socket could not send (refused at once or by the kernel later). */
  sendFailed: number;
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
  #batch: BatchUdpServer | null = null;
  port = 0;
  /** The I/O in use after `start()`. */
  ioUsed: 'batch' | 'dgram' | null = null;
  /** Why `auto` fell back to dgram (null when batch is used or dgram was asked for). */
  ioFallbackReason: string | null = null;
  readonly #drops: UdpDrops = { sourcePortZero: 0, sendFailed: 0 };
  /** Completion of every dgram send: a failure is counted, never raised. */
  readonly #onSent = (err: Error | null): void => {
    if (err) this.#drops.sendFailed++;
  };

  constructor(opts: UdpServerOptions) {
    this.#opts = opts;
  }

  /** Counters of the batch socket; null with dgram. */
  batchStats(): UdpBatchStats | null {
    return this.#batch?.stats() ?? null;
  }

  /** Queries dropped by the listener, on either I/O. */
  drops(): UdpDrops {
    const batch = this.#batch;
    if (!batch) return { ...this.#drops };
    return { sourcePortZero: batch.sourcePortZero, sendFailed: batch.stats()?.dropped ?? 0 };
  }

  async start(): Promise<void> {
    const { host, port, handler } = this.#opts;
    const io = this.#opts.io ?? 'auto';
    if (io !== 'dgram') {
      const loaded = loadUdpBatch();
      if (loaded.ok) {
        const batch = new BatchUdpServer(loaded.addon, {
          host,
          port,
          handler,
          ...(this.#opts.recvBufferBytes ? { recvBufferBytes: this.#opts.recvBufferBytes } : {}),
        });
        batch.start();
        this.#batch = batch;
        this.port = batch.port;
        this.ioUsed = 'batch';
        return;
      }
      if (io === 'batch')
        throw new MeridianError('MERIDIAN_DNS_UDP_IO', `udp io 'batch' unavailable: ${loaded.reason}`);
      this.ioFallbackReason = loaded.reason;
    }
    this.ioUsed = 'dgram';
    const socket = createSocket({
      type: host.includes(':') ? 'udp6' : 'udp4',
      reuseAddr: false,
      // replies go to rinfo.address, always an IP literal: skip dns.lookup and its nextTick per send
      lookup: literalLookup,
    });
    const q = new DnsQuery();
    const addresses = new ClientAddressCache();
    socket.on('message', (msg, rinfo) => {
      if (rinfo.port === 0) {
        this.#drops.sourcePortZero++;
        return;
      }
      let res: Buffer | null;
      try {
        const client: ClientAddress = addresses.get(rinfo.address);
        res = handler.handle(q, msg, client, 'udp');
      } catch (err) {
        handler.onError(err);
        return;
      }
      if (!res) return;
      try {
        socket.send(res, rinfo.port, rinfo.address, this.#onSent);
      } catch {
        this.#drops.sendFailed++; // refused before any syscall (a port or address dgram rejects)
      }
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
    if (this.#batch) {
      Object.assign(this.#drops, this.drops()); // keep the batch counters readable after stop
      this.#batch.stop();
    }
    this.#batch = null;
    const socket = this.#socket;
    this.#socket = null;
    if (socket) await new Promise<void>((resolve) => socket.close(() => resolve()));
  }
}
