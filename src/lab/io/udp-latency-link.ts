// A UDP relay on loopback for DNS: each query and each response is delayed by half the RTT.
import { createSocket, type Socket } from 'node:dgram';
import { type Clock, MeridianError, systemClock } from '../../core/index.js';
import { DelayLine } from '../delay-line.js';

export interface UdpLatencyLinkOptions {
  readonly listenHost: string;
  readonly listenPort?: number;
  readonly targetHost: string;
  readonly targetPort: number;
  readonly rttMs: number;
  /** Per-client upstream sockets unused for this long are closed (default 30 s). */
  readonly idleMs?: number;
  /** At most this many clients at once; the oldest is dropped beyond it (default 256). */
  readonly maxClients?: number;
  readonly clock?: Clock;
}

interface Flow {
  readonly upstream: Socket;
  readonly toTarget: DelayLine<Buffer>;
  readonly toClient: DelayLine<Buffer>;
  lastUsed: number;
}

/** A UDP relay with one upstream socket per client address, so responses find their way back. */
export class UdpLatencyLink {
  readonly #options: UdpLatencyLinkOptions;
  readonly #clock: Clock;
  readonly #flows = new Map<string, Flow>();
  #socket: Socket | undefined;
  #port = 0;
  #cancelSweep: (() => void) | undefined;
  #datagrams = 0;

  constructor(options: UdpLatencyLinkOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
  }

  get address(): { host: string; port: number } {
    return { host: this.#options.listenHost, port: this.#port };
  }

  get rttMs(): number {
    return this.#options.rttMs;
  }

  /** Client datagrams received since start. */
  get datagrams(): number {
    return this.#datagrams;
  }

  /** Upstream sockets currently open. */
  get flows(): number {
    return this.#flows.size;
  }

  async start(): Promise<void> {
    if (this.#socket) return;
    const socket = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', (err) =>
        reject(
          new MeridianError(
            'MERIDIAN_LAB_LISTEN_FAILED',
            `UDP latency link cannot bind ${this.#options.listenHost}:${this.#options.listenPort ?? 0}: ${err.message}`,
            { cause: err },
          ),
        ),
      );
      socket.bind(this.#options.listenPort ?? 0, this.#options.listenHost, () => resolve());
    });
    socket.on('error', () => {});
    socket.on('message', (msg, rinfo) => this.#fromClient(msg, rinfo.address, rinfo.port));
    this.#port = socket.address().port;
    this.#socket = socket;
    this.#sweep();
  }

  async stop(): Promise<void> {
    this.#cancelSweep?.();
    this.#cancelSweep = undefined;
    for (const key of [...this.#flows.keys()]) this.#drop(key);
    const socket = this.#socket;
    this.#socket = undefined;
    if (socket) await new Promise<void>((resolve) => socket.close(() => resolve()));
  }

  #fromClient(msg: Buffer, host: string, port: number): void {
    this.#datagrams += 1;
    const key = `${host}:${port}`;
    let flow = this.#flows.get(key);
    if (!flow) {
      if (this.#flows.size >= (this.#options.maxClients ?? 256)) {
        const oldest = [...this.#flows].sort((a, b) => a[1].lastUsed - b[1].lastUsed)[0];
        if (oldest) this.#drop(oldest[0]);
      }
      const upstream = createSocket('udp4');
      upstream.on('error', () => {});
      const half = this.#options.rttMs / 2;
      const toTarget = new DelayLine<Buffer>(this.#clock, half, (b) =>
        upstream.send(b, this.#options.targetPort, this.#options.targetHost),
      );
      const toClient = new DelayLine<Buffer>(this.#clock, half, (b) => this.#socket?.send(b, port, host));
      upstream.on('message', (reply) => {
        const f = this.#flows.get(key);
        if (f) f.lastUsed = this.#clock.monotonic();
        toClient.push(reply);
      });
      flow = { upstream, toTarget, toClient, lastUsed: this.#clock.monotonic() };
      this.#flows.set(key, flow);
    }
    flow.lastUsed = this.#clock.monotonic();
    flow.toTarget.push(msg);
  }

  #drop(key: string): void {
    const flow = this.#flows.get(key);
    if (!flow) return;
    this.#flows.delete(key);
    flow.toTarget.close();
    flow.toClient.close();
    try {
      flow.upstream.close();
    } catch {
      // already closed
    }
  }

  #sweep(): void {
    const idle = this.#options.idleMs ?? 30_000;
    this.#cancelSweep = this.#clock.setTimeout(() => {
      const now = this.#clock.monotonic();
      for (const [key, f] of this.#flows) if (now - f.lastUsed > idle) this.#drop(key);
      if (this.#socket) this.#sweep();
    }, idle);
  }
}
