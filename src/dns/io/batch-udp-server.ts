// The UDP listener on the native addon: recvmmsg a batch, answer every slot in one JS call, sendmmsg.
import { MeridianError } from '../../core/index.js';
import type { DnsHandler } from '../dns-handler.js';
import { DnsQuery } from '../dns-query.js';
import { ClientAddressCache } from './client-address-cache.js';
import type { UdpBatchAddon, UdpBatchSocket, UdpBatchStats } from './udp-batch-addon.js';

export interface BatchUdpServerOptions {
  host: string;
  port: number;
  handler: DnsHandler;
  recvBufferBytes?: number;
  reuseAddr?: boolean;
}

/**
 * A UDP DNS listener on native/udp-batch. Input slots are 64 KiB (any datagram fits); answers
 * over the 4 KiB output slot are dropped (UDP answers are capped at 1232 bytes). Under overload
 * a reply the kernel cannot queue is dropped (UDP: the client retries), counted in stats().
 */
export class BatchUdpServer {
  readonly #opts: BatchUdpServerOptions;
  readonly #addon: UdpBatchAddon;
  #sock: UdpBatchSocket | null = null;
  #lastStats: UdpBatchStats | null = null;
  port = 0;
  /** Datagrams from source port 0, dropped unanswered (no reply can reach port 0). */
  sourcePortZero = 0;

  constructor(addon: UdpBatchAddon, opts: BatchUdpServerOptions) {
    this.#addon = addon;
    this.#opts = opts;
  }

  start(): void {
    if (this.#sock) return;
    const { host, port, handler } = this.#opts;
    let sock: UdpBatchSocket;
    try {
      sock = this.#addon.open(host, port, this.#opts.reuseAddr ?? false, this.#opts.recvBufferBytes ?? 0);
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      throw new MeridianError('MERIDIAN_DNS_LISTEN', `cannot listen on udp ${host}:${port}: ${msg}`, {
        cause: err,
      });
    }
    const input = Buffer.from(sock.input);
    const output = Buffer.from(sock.output);
    const meta = new Int32Array(sock.meta);
    const metaBytes = new Uint8Array(sock.meta);
    const { inSlot, outSlot, metaStride } = sock;
    const q = new DnsQuery();
    const addresses = new ClientAddressCache();
    const onBatch = (count: number): void => {
      for (let i = 0; i < count; i++) {
        const m = i * metaStride;
        const len = meta[m]!;
        if (len < 0) continue; // truncated on receive (cannot happen with 64 KiB slots)
        if (meta[m + 2] === 0) {
          this.sourcePortZero++;
          continue;
        }
        try {
          const client = addresses.fromBytes(meta[m + 1] === 6 ? 6 : 4, metaBytes, (m + 4) * 4);
          const res = handler.handle(q, input.subarray(i * inSlot, i * inSlot + len), client, 'udp');
          if (res && res.length <= outSlot) {
            res.copy(output, i * outSlot);
            meta[m + 3] = res.length;
          }
        } catch (err) {
          handler.onError(err);
        }
      }
    };
    this.#addon.start(sock.handle, onBatch);
    this.#sock = sock;
    this.port = sock.port;
  }

  /** Counters of the native socket (received, sent, dropped, batches...). */
  stats(): UdpBatchStats | null {
    return this.#sock ? this.#addon.stats(this.#sock.handle) : this.#lastStats;
  }

  stop(): void {
    const sock = this.#sock;
    this.#sock = null;
    if (!sock) return;
    this.#lastStats = this.#addon.stats(sock.handle);
    this.#addon.stop(sock.handle);
  }
}
