// Loads the optional native addon native/udp-batch (recvmmsg/sendmmsg, Linux only); null when absent.
import { createRequire } from 'node:module';

/** What `open()` of the addon returns: the handle and the shared slot memory. */
export interface UdpBatchSocket {
  handle: unknown;
  port: number;
  /** Slot i (at i * inSlot) holds a datagram, then the answer JS writes over it. */
  input: ArrayBuffer;
  meta: ArrayBuffer;
  slots: number;
  inSlot: number;
  /** The largest answer sent. */
  outSlot: number;
  metaStride: number;
}

export interface UdpBatchStats {
  received: number;
  sent: number;
  dropped: number;
  truncated: number;
  batches: number;
  recvErrors: number;
  sendErrors: number;
}

/** The addon's functions (see native/udp-batch/udp_batch.c). */
export interface UdpBatchAddon {
  open(host: string, port: number, reuseAddr: boolean, recvBufferBytes: number): UdpBatchSocket;
  start(handle: unknown, onBatch: (count: number) => void): void;
  stop(handle: unknown): void;
  stats(handle: unknown): UdpBatchStats;
}

export type UdpBatchLoad = { ok: true; addon: UdpBatchAddon } | { ok: false; reason: string };

// same relative path from src/dns/io (tsx, vitest) and dist/dns/io (built)
const ADDON_PATH = '../../../native/udp-batch/build/Release/udp_batch.node';
let cached: UdpBatchLoad | null = null;

/** The addon, loaded once; `reason` says why not (not Linux, not built, wrong ABI). */
export function loadUdpBatch(): UdpBatchLoad {
  if (cached) return cached;
  if (process.platform !== 'linux') {
    cached = { ok: false, reason: `not Linux (${process.platform})` };
    return cached;
  }
  try {
    const require = createRequire(import.meta.url);
    cached = { ok: true, addon: require(ADDON_PATH) as UdpBatchAddon };
  } catch (err) {
    const msg = err instanceof Error ? err.message.split('\n')[0] : String(err);
    cached = { ok: false, reason: `addon not built or not loadable (${msg})` };
  }
  return cached;
}
