// The dashboard's open event streams: at most `maxClients`, a heartbeat comment so idle
// connections stay open, slow readers dropped, every stream ended on close().
import type { ServerResponse } from 'node:http';
import { SSE_HEARTBEAT } from '../sse-frame.js';

export interface EventHubOptions {
  /** Streams open at once; one more is refused (default 16). */
  readonly maxClients?: number;
  /** A comment frame this often (default 15 000 ms; under the HTTP idle timeout). */
  readonly heartbeatMs?: number;
  /** A stream with more than this many bytes unsent is closed (default 1 MiB). */
  readonly maxBufferedBytes?: number;
}

export const DEFAULT_MAX_EVENT_CLIENTS = 16;
export const DEFAULT_HEARTBEAT_MS = 15_000;

/** Created stopped; `start()` arms the heartbeat, `close()` ends every stream. */
export class EventHub {
  readonly #clients = new Set<ServerResponse>();
  readonly #max: number;
  readonly #heartbeatMs: number;
  readonly #maxBuffered: number;
  #timer: NodeJS.Timeout | null = null;
  #closed = false;

  constructor(options: EventHubOptions = {}) {
    this.#max = options.maxClients ?? DEFAULT_MAX_EVENT_CLIENTS;
    this.#heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
    this.#maxBuffered = options.maxBufferedBytes ?? 1 << 20;
  }

  get size(): number {
    return this.#clients.size;
  }

  get maxClients(): number {
    return this.#max;
  }

  start(): void {
    if (this.#timer || this.#closed) return;
    this.#timer = setInterval(() => this.broadcast(SSE_HEARTBEAT), this.#heartbeatMs);
    this.#timer.unref();
  }

  /** Whether another stream may open now. */
  hasRoom(): boolean {
    return !this.#closed && this.#clients.size < this.#max;
  }

  /** Adopts a response whose headers are sent; writes `first` to it. False when full or closed. */
  add(res: ServerResponse, first: string): boolean {
    if (!this.hasRoom()) return false;
    this.#clients.add(res);
    res.once('close', () => this.#clients.delete(res));
    this.#write(res, first);
    return true;
  }

  broadcast(frame: string): void {
    for (const res of this.#clients) this.#write(res, frame);
  }

  /** Ends every stream and refuses new ones. */
  close(): void {
    this.#closed = true;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    for (const res of this.#clients) res.end();
    this.#clients.clear();
  }

  #write(res: ServerResponse, frame: string): void {
    if (res.writableLength > this.#maxBuffered) {
      this.#clients.delete(res);
      res.destroy();
      return;
    }
    res.write(frame);
  }
}
