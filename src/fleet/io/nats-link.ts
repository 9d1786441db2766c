// A NATS connection that is never given up on: connects with backoff until a server answers,
// then lets the client reconnect forever; reports every change and never throws at its user.
import { EventEmitter } from 'node:events';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { type Clock, systemClock } from '../../core/index.js';

export interface NatsLinkOptions {
  /** `nats://host:port` (or `host:port`) of one or more servers of the cluster. */
  readonly servers: readonly string[];
  /** Connection name, shown by the servers' monitoring (`connz`). */
  readonly name: string;
  readonly clock?: Clock;
  /** Wait between reconnect attempts to one server (default 250 ms; the client adds jitter). */
  readonly reconnectTimeWaitMs?: number;
  /** Client ping period; a server that misses 2 pings in a row is left (default 2000 ms). */
  readonly pingIntervalMs?: number;
}

/** Payload of `meridian:fleet:nats` events. */
export interface NatsLinkEvent {
  readonly state: 'connected' | 'disconnected' | 'reconnected' | 'connect-failed';
  /** The server concerned (`127.0.0.1:4222`), when known. */
  readonly server: string | null;
  readonly error: string | null;
  /** Failed first-connect attempts so far (connect-failed only). */
  readonly attempt?: number;
}

export const NATS_LINK_EVENT = 'meridian:fleet:nats';

const MAX_BACKOFF_MS = 2000;

/**
 * Owns one NATS connection for a prober or a consumer. `start()` returns at once and connects
 * in the background, retrying every 250 ms … 2 s until a server answers; after that the client
 * reconnects forever (any server of the list, or of the cluster it learns), and a connection
 * closed for any other reason than `stop()` is opened again. `connection()` is the live
 * connection or null; `whenConnected()` waits for one. Emits `meridian:fleet:nats`.
 */
export class NatsLink extends EventEmitter {
  readonly #opts: NatsLinkOptions;
  readonly #clock: Clock;
  #nc: NatsConnection | null = null;
  #connected = false;
  #running = false;
  #cancelWait: (() => void) | null = null;
  #waiters: ((nc: NatsConnection | null) => void)[] = [];
  #loop: Promise<void> | null = null;

  constructor(opts: NatsLinkOptions) {
    super();
    this.#opts = opts;
    this.#clock = opts.clock ?? systemClock;
  }

  /** True while connected (not while reconnecting). */
  get connected(): boolean {
    return this.#connected;
  }

  /** The connection when connected, else null. */
  connection(): NatsConnection | null {
    return this.#connected ? this.#nc : null;
  }

  /** Resolves with the connection once connected, or null once stopped. */
  whenConnected(): Promise<NatsConnection | null> {
    if (!this.#running) return Promise.resolve(null);
    if (this.#connected && this.#nc) return Promise.resolve(this.#nc);
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Starts connecting in the background. Idempotent. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.#connectLoop();
  }

  /** Stops connecting and closes the connection (without waiting for a server). */
  async stop(): Promise<void> {
    this.#running = false;
    this.#cancelWait?.();
    await this.#loop;
    const nc = this.#nc;
    this.#nc = null;
    this.#connected = false;
    if (nc && !nc.isClosed()) await nc.close().catch(() => {});
    for (const w of this.#waiters.splice(0)) w(null);
  }

  async #connectLoop(): Promise<void> {
    let attempt = 0;
    while (this.#running && !this.#nc) {
      try {
        const nc = await connect({
          servers: [...this.#opts.servers],
          name: this.#opts.name,
          maxReconnectAttempts: -1,
          reconnectTimeWait: this.#opts.reconnectTimeWaitMs ?? 250,
          reconnectJitter: 100,
          pingInterval: this.#opts.pingIntervalMs ?? 2000,
          maxPingOut: 2,
          timeout: 2000,
        });
        if (!this.#running) {
          await nc.close().catch(() => {});
          return;
        }
        this.#adopt(nc);
        return;
      } catch (err) {
        attempt++;
        this.#emit({ state: 'connect-failed', server: null, error: describe(err), attempt });
        await this.#sleep(Math.min(MAX_BACKOFF_MS, 250 * 2 ** Math.min(attempt - 1, 3)));
      }
    }
  }

  #adopt(nc: NatsConnection): void {
    this.#nc = nc;
    this.#connected = true;
    this.#emit({ state: 'connected', server: nc.getServer(), error: null });
    for (const w of this.#waiters.splice(0)) w(nc);
    void (async () => {
      for await (const s of nc.status()) {
        if (s.type === 'disconnect') {
          this.#connected = false;
          this.#emit({ state: 'disconnected', server: s.server, error: null });
        } else if (s.type === 'reconnect') {
          this.#connected = true;
          this.#emit({ state: 'reconnected', server: s.server, error: null });
          for (const w of this.#waiters.splice(0)) w(nc);
        }
      }
    })().catch(() => {});
    void nc.closed().then((err) => {
      if (this.#nc !== nc) return;
      this.#nc = null;
      this.#connected = false;
      if (!this.#running) return;
      this.#emit({ state: 'disconnected', server: null, error: err ? describe(err) : 'connection closed' });
      this.#loop = this.#connectLoop();
    });
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const cancel = this.#clock.setTimeout(() => {
        this.#cancelWait = null;
        resolve();
      }, ms);
      this.#cancelWait = () => {
        cancel();
        this.#cancelWait = null;
        resolve();
      };
    });
  }

  #emit(e: NatsLinkEvent): void {
    this.emit(NATS_LINK_EVENT, e);
  }
}

function describe(err: unknown): string {
  const e = err as { code?: string; message?: string };
  return e?.message ?? e?.code ?? String(err);
}
