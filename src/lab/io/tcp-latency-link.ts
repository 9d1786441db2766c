// A TCP relay on loopback that plays out a round-trip time: connection set-up costs one full
// round trip, then each direction is delayed by half of it. Order, backpressure and
// half-close are preserved.
import { connect, createServer, type Server, type Socket } from 'node:net';
import { type Clock, MeridianError, systemClock } from '../../core/index.js';
import { DelayLine } from '../delay-line.js';

export interface TcpLatencyLinkOptions {
  /** Address to listen on (loopback). */
  readonly listenHost: string;
  /** Port to listen on; 0 picks a free one. */
  readonly listenPort?: number;
  readonly targetHost: string;
  readonly targetPort: number;
  /** Round-trip time to play out, in ms. */
  readonly rttMs: number;
  /**
   * Delay before the relay connects to the target (default `rttMs`: TCP set-up costs one
   * round trip). Set 0 when the dialer charges the set-up itself, as simulated users do so
   * that they can time it.
   */
  readonly connectDelayMs?: number;
  /** The local address of each connection to the target (default: the system's choice). */
  readonly sourceAddress?: () => string | undefined;
  /** Bytes in flight per direction before the sender is paused (default 1 MiB). */
  readonly maxBufferedBytes?: number;
  readonly clock?: Clock;
}

type Chunk = Buffer | 'end';

/** A relay: `start()` listens, `stop()` closes the listener and every relayed connection. */
export class TcpLatencyLink {
  readonly #options: TcpLatencyLinkOptions;
  readonly #clock: Clock;
  readonly #sockets = new Set<Socket>();
  readonly #lines = new Set<DelayLine<Chunk>>();
  readonly #cancels = new Set<() => void>();
  #server: Server | undefined;
  #port = 0;
  #rttMs: number;
  #connections = 0;

  constructor(options: TcpLatencyLinkOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.#rttMs = options.rttMs;
  }

  /** The address and port clients connect to (after `start()`). */
  get address(): { host: string; port: number } {
    return { host: this.#options.listenHost, port: this.#port };
  }

  get rttMs(): number {
    return this.#rttMs;
  }

  /**
   * Plays out `rttMs` from now on: new connections, and bytes sent from now on over open ones
   * (half each way). Bytes already in flight arrive as they were due; order is kept.
   */
  setRttMs(rttMs: number): void {
    this.#rttMs = rttMs;
    for (const line of this.#lines) line.setDelayMs(rttMs / 2);
  }

  /** Connections accepted since start. */
  get connections(): number {
    return this.#connections;
  }

  /** Sockets currently open (both sides counted). */
  get openSockets(): number {
    return this.#sockets.size;
  }

  async start(): Promise<void> {
    if (this.#server) return;
    // No Nagle on either side: a relay must not add its own coalescing delay to the RTT.
    const server = createServer({ allowHalfOpen: true, pauseOnConnect: true, noDelay: true }, (s) =>
      this.#accept(s),
    );
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err) =>
        reject(
          new MeridianError(
            'MERIDIAN_LAB_LISTEN_FAILED',
            `latency link cannot listen on ${this.#options.listenHost}:${this.#options.listenPort ?? 0}: ${err.message}`,
            { cause: err },
          ),
        ),
      );
      server.listen(this.#options.listenPort ?? 0, this.#options.listenHost, () => resolve());
    });
    const addr = server.address();
    this.#port = typeof addr === 'object' && addr ? addr.port : 0;
    this.#server = server;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    for (const cancel of this.#cancels) cancel();
    this.#cancels.clear();
    for (const line of this.#lines) line.close();
    this.#lines.clear();
    const closing = [...this.#sockets].map(
      (s) => new Promise<void>((resolve) => (s.closed ? resolve() : s.once('close', () => resolve()))),
    );
    for (const s of this.#sockets) s.resetAndDestroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    await Promise.all(closing);
  }

  #track(s: Socket): void {
    this.#sockets.add(s);
    s.once('close', () => this.#sockets.delete(s));
  }

  #accept(client: Socket): void {
    this.#connections += 1;
    this.#track(client);
    const half = this.#rttMs / 2;
    const pending: Buffer[] = [];
    let clientEnded = false;
    let upstream: Socket | undefined;
    const onEarlyData = (b: Buffer) => pending.push(b);
    const onEarlyEnd = () => {
      clientEnded = true;
    };
    client.on('data', onEarlyData);
    client.once('end', onEarlyEnd);
    client.on('error', () => upstream?.resetAndDestroy());
    // A close without our having read the peer's FIN is a reset or an error: pass it on.
    client.once('close', () => {
      cancelConnect();
      this.#cancels.delete(cancelConnect);
      if (upstream && !client.readableEnded) upstream.resetAndDestroy();
    });
    // SYN → SYN-ACK → ACK: the first byte cannot leave before one full round trip.
    const cancelConnect = this.#after(this.#options.connectDelayMs ?? this.#rttMs, () => {
      this.#cancels.delete(cancelConnect);
      if (client.destroyed) return;
      const localAddress = this.#options.sourceAddress?.();
      const up = connect({
        host: this.#options.targetHost,
        port: this.#options.targetPort,
        allowHalfOpen: true,
        noDelay: true,
        ...(localAddress ? { localAddress } : {}),
      });
      upstream = up;
      this.#track(up);
      up.on('error', () => client.resetAndDestroy());
      up.once('close', () => {
        if (!up.readableEnded) client.resetAndDestroy();
      });
      up.once('connect', () => {
        client.off('data', onEarlyData);
        client.off('end', onEarlyEnd);
        const toTarget = this.#pipe(client, up, half);
        this.#pipe(up, client, half);
        for (const b of pending) toTarget(b);
        if (clientEnded) toTarget('end');
      });
    });
    this.#cancels.add(cancelConnect);
    client.resume();
  }

  /** Runs `fn` no sooner than `ms` from now (a timer may fire early; the delay line re-arms). */
  #after(ms: number, fn: () => void): () => void {
    if (ms <= 0) {
      // Still asynchronous, so callers can hold the cancel function before `fn` runs.
      const t = setImmediate(fn);
      return () => clearImmediate(t);
    }
    const line = new DelayLine<() => void>(this.#clock, ms, (f) => {
      line.close();
      f();
    });
    line.push(fn);
    return () => line.close();
  }

  /** Relays `from` → `to` through a delay line; returns the function that feeds the line. */
  #pipe(from: Socket, to: Socket, delayMs: number): (c: Chunk) => void {
    const max = this.#options.maxBufferedBytes ?? 1024 * 1024;
    let buffered = 0;
    let paused = false;
    const maybeResume = () => {
      if (paused && buffered < max && !to.writableNeedDrain) {
        paused = false;
        from.resume();
      }
    };
    const line = new DelayLine<Chunk>(this.#clock, delayMs, (c) => {
      if (to.destroyed) return;
      if (c === 'end') {
        to.end();
        this.#lines.delete(line);
        return;
      }
      buffered -= c.length;
      to.write(c);
      maybeResume();
    });
    this.#lines.add(line);
    to.on('drain', maybeResume);
    to.once('close', () => {
      line.close();
      this.#lines.delete(line);
    });
    const feed = (c: Chunk) => {
      if (c !== 'end') {
        buffered += c.length;
        if (buffered >= max && !paused) {
          paused = true;
          from.pause();
        }
      }
      line.push(c);
    };
    from.on('data', (b: Buffer) => {
      feed(b);
      if (to.writableNeedDrain && !paused) {
        paused = true;
        from.pause();
      }
    });
    from.once('end', () => feed('end'));
    return feed;
  }
}
