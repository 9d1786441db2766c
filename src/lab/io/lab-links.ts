// Starts every planned latency link and answers the wiring questions: how does a user at
// network N reach address A, where does N send DNS, where does region R find home.
import { createServer } from 'node:net';
import type { Clock } from '../../core/index.js';
import type { PlannedLink } from '../latency-link-plan.js';
import { userSourceAddress } from '../user-source-address.js';
import type { Route } from './links-journey.js';
import { TcpLatencyLink } from './tcp-latency-link.js';
import { UdpLatencyLink } from './udp-latency-link.js';

export interface StartedLink {
  readonly plan: PlannedLink;
  readonly link: TcpLatencyLink | UdpLatencyLink;
  readonly address: { readonly host: string; readonly port: number };
}

/** All of a world's latency links; `start()` listens on 127.0.0.1 (port 0), `stop()` closes all. */
export class LabLinks {
  readonly #plan: readonly PlannedLink[];
  readonly #clock: Clock | undefined;
  readonly #host: string;
  #started: StartedLink[] = [];
  /** Each user connection's source address (`userSourceAddress`), once 127.77.0.1 proved usable. */
  #userSource: (() => string) | undefined;
  #userConnections = 0;

  constructor(plan: readonly PlannedLink[], options: { listenHost?: string; clock?: Clock } = {}) {
    this.#plan = plan;
    this.#clock = options.clock;
    this.#host = options.listenHost ?? '127.0.0.1';
  }

  get links(): readonly StartedLink[] {
    return this.#started;
  }

  async start(): Promise<void> {
    if (await canBind(userSourceAddress(0)))
      this.#userSource = () => userSourceAddress(this.#userConnections++);
    await this.add(this.#plan);
  }

  /** Starts more planned links (a region added by reload); on failure stops those it started. */
  async add(plans: readonly PlannedLink[]): Promise<void> {
    const fresh = new Set(plans);
    try {
      for (const plan of plans) {
        const common = {
          listenHost: this.#host,
          targetHost: plan.target.host,
          targetPort: plan.target.port,
          rttMs: plan.rttMs,
          ...(this.#clock ? { clock: this.#clock } : {}),
        };
        const link =
          plan.protocol === 'udp'
            ? new UdpLatencyLink(common)
            : new TcpLatencyLink({
                ...common,
                connectDelayMs: plan.connectDelayMs,
                ...(plan.kind === 'user' && this.#userSource ? { sourceAddress: this.#userSource } : {}),
              });
        await link.start();
        this.#started.push({ plan, link, address: link.address });
      }
    } catch (err) {
      await this.remove((p) => fresh.has(p));
      throw err;
    }
  }

  /** Stops and forgets the links `which` selects (a region removed by reload). */
  async remove(which: (plan: PlannedLink) => boolean): Promise<void> {
    const gone = this.#started.filter((s) => which(s.plan));
    this.#started = this.#started.filter((s) => !which(s.plan));
    await Promise.all(gone.map((s) => s.link.stop()));
  }

  async stop(): Promise<void> {
    const started = this.#started;
    this.#started = [];
    await Promise.all(started.map((s) => s.link.stop()));
  }

  /**
   * How users at `network` reach each region address (`address` → the link in front of it),
   * looked up on each call so links added or removed later are seen.
   */
  routesFor(network: string): (address: string) => Route | undefined {
    return (address) => {
      const s = this.#started.find(
        (x) => x.plan.kind === 'user' && x.plan.from === network && x.plan.target.host === address,
      );
      return s ? { ...s.address, connectDelayMs: s.link.rttMs } : undefined;
    };
  }

  /**
   * Makes the users' path from `network` (every network when null) to the region at `address`
   * `addMs` slower than planned (0 restores it): a cable cut, a bad peering, a slow region.
   * Returns how many links changed.
   */
  addRtt(network: string | null, address: string, addMs: number): number {
    let changed = 0;
    for (const s of this.#started) {
      if (s.plan.kind !== 'user' || s.plan.target.host !== address) continue;
      if (network !== null && s.plan.from !== network) continue;
      if (!(s.link instanceof TcpLatencyLink)) continue;
      s.link.setRttMs(s.plan.rttMs + addMs);
      changed += 1;
    }
    return changed;
  }

  /** Where users at `network` send DNS queries. */
  dnsFor(network: string): { host: string; port: number } | undefined {
    return this.#started.find((s) => s.plan.kind === 'dns' && s.plan.from === network)?.address;
  }

  /** Where region `region` reaches home's `port`. */
  homeFor(region: string, port: number): { host: string; port: number } | undefined {
    return this.#started.find(
      (s) => s.plan.kind === 'home' && s.plan.from === region && s.plan.target.port === port,
    )?.address;
  }
}

/** Whether this machine can bind `address` (all of 127.0.0.0/8 on Linux; only aliases elsewhere). */
function canBind(address: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ host: address, port: 0 }, () => server.close(() => resolve(true)));
  });
}
