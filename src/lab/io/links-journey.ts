// One simulated user's journey on the links API: create a session, create links, follow one.
// Each request is recorded with its time split into DNS, connect and response; a connection
// that fails is retried on the next answered address (re-resolving when none is left).
import { Agent, type ClientRequestArgs, request } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { type Clock, systemClock } from '../../core/index.js';
import { DelayLine } from '../delay-line.js';
import type { JourneyStep, RequestRecord } from '../request-record.js';
import type { Resolution } from './gslb-resolver.js';

/** How to reach an answered address from this population: the latency link in front of it. */
export interface Route {
  readonly host: string;
  readonly port: number;
  /** TCP set-up cost charged by the dialer (one RTT), when the link does not charge it. */
  readonly connectDelayMs: number;
}

/** What a journey needs from its population. */
export interface JourneyContext {
  readonly location: string;
  /** The workload's hostname (also sent as Host). */
  readonly hostname: string;
  readonly resolver: {
    resolve(name: string): Promise<Resolution>;
    readonly cache: { invalidate(name: string): void };
  };
  /** The route to an answered address, or undefined when the lab knows no such address. */
  route(address: string): Route | undefined;
  readonly onRecord: (r: RequestRecord) => void;
  readonly clock?: Clock;
  /** Per request attempt (default 5000 ms); a region that stops answering counts as failed. */
  readonly requestTimeoutMs?: number;
  /** Connection attempts per request (default 3). */
  readonly maxAttempts?: number;
  /** Links created per journey (default 1). */
  readonly linksPerJourney?: number;
  readonly partnerId?: string;
  readonly device?: string;
}

interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

type Attempt =
  | { readonly ok: true; readonly reply: Reply; readonly connectMs: number; readonly responseMs: number }
  | { readonly ok: false; readonly reason: string; readonly connectMs: number; readonly responseMs: number };

/** A keep-alive agent whose sockets connect to the route after its set-up delay. */
export class RouteAgent extends Agent {
  readonly #route: Route;
  readonly #clock: Clock;
  connectedAtMs: number | undefined;
  createdAtMs: number | undefined;

  constructor(route: Route, clock: Clock) {
    super({ keepAlive: true, maxSockets: 1 });
    this.#route = route;
    this.#clock = clock;
  }

  override createConnection(
    _options: ClientRequestArgs,
    oncreate?: (err: Error | null, socket: Duplex) => void,
  ): Duplex | undefined {
    this.createdAtMs = this.#clock.monotonic();
    this.connectedAtMs = undefined;
    const go = (): Socket => {
      const s = connect({ port: this.#route.port, host: this.#route.host, noDelay: true });
      s.once('connect', () => {
        this.connectedAtMs = this.#clock.monotonic();
      });
      return s;
    };
    if (this.#route.connectDelayMs <= 0 || !oncreate) return go();
    // The socket is handed over once the set-up round trip has passed (never earlier: a delay
    // line re-arms a timer that fires early) and it is connecting.
    const line = new DelayLine<() => void>(this.#clock, this.#route.connectDelayMs, (f) => {
      line.close();
      f();
    });
    line.push(() => oncreate(null, go()));
    return undefined;
  }
}

/** Runs one journey; resolves true when every step succeeded. Never rejects. */
export async function runLinksJourney(ctx: JourneyContext, journeyId: number): Promise<boolean> {
  const clock = ctx.clock ?? systemClock;
  const state: { agent: RouteAgent | undefined; address: string | undefined; tried: Set<string> } = {
    agent: undefined,
    address: undefined,
    tried: new Set(),
  };
  const device = ctx.device ?? 'lab';
  try {
    const session = await journeyStep(ctx, clock, state, 'session', 'POST', '/v1/sessions', {
      partnerId: ctx.partnerId ?? 'lab-partner',
      device,
    });
    const sessionId = session && parseJson(session.body)?.sessionId;
    if (typeof sessionId !== 'string') return false;
    let link: string | undefined;
    const destination = `https://example.org/${ctx.location}/${journeyId}`;
    for (let i = 0; i < (ctx.linksPerJourney ?? 1); i++) {
      const created = await journeyStep(
        ctx,
        clock,
        state,
        'link',
        'POST',
        '/v1/links',
        { destination },
        { authorization: `Session ${sessionId}` },
      );
      const l = created && parseJson(created.body)?.link;
      if (typeof l !== 'string') return false;
      link = l;
    }
    if (!link) return true;
    let path: string;
    try {
      path = new URL(link).pathname;
    } catch {
      return false;
    }
    const followed = await journeyStep(ctx, clock, state, 'redirect', 'GET', path, undefined, {}, (r) =>
      r.status === 302 && r.headers.location === destination ? undefined : `bad-redirect-${r.status}`,
    );
    return followed !== undefined;
  } finally {
    state.agent?.destroy();
  }
}

const EXPECTED: Record<JourneyStep, number> = {
  session: 201,
  link: 201,
  redirect: 302,
  'profile-read': 200,
  'profile-write': 202,
  'profile-readback': 200,
};

/** A journey's connection: the keep-alive agent to the answered address, and those tried. */
export interface JourneyConnection {
  agent: RouteAgent | undefined;
  address: string | undefined;
  tried: Set<string>;
}

/** A journey's fresh connection state; `close()` it when the journey ends. */
export function journeyConnection(): JourneyConnection & { close(): void } {
  const c: JourneyConnection & { close(): void } = {
    agent: undefined,
    address: undefined,
    tried: new Set(),
    close: () => c.agent?.destroy(),
  };
  return c;
}

/**
 * One recorded request of a journey (resolving, connecting through the route, retrying on the
 * next answered address); resolves the reply when `check` accepts it, else undefined.
 */
export async function journeyStep(
  ctx: JourneyContext,
  clock: Clock,
  state: JourneyConnection,
  name: JourneyStep,
  method: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
  check: (r: Reply) => string | undefined = (r) =>
    r.status === EXPECTED[name] ? undefined : `http-${r.status}`,
): Promise<Reply | undefined> {
  const t0 = clock.monotonic();
  let dnsMs = 0;
  let connectMs = 0;
  let responseMs = 0;
  let reason = 'no-attempt';
  let attempts = 0;
  let resolvedAgain = false;
  const finish = (ok: boolean, region: string | null, error?: string): void =>
    ctx.onRecord({
      location: ctx.location,
      step: name,
      atMs: clock.now(),
      dnsMs,
      connectMs,
      responseMs,
      totalMs: clock.monotonic() - t0,
      region,
      attempts,
      ok,
      ...(error ? { error } : {}),
    });
  while (attempts < (ctx.maxAttempts ?? 3)) {
    if (!state.agent) {
      const res = await ctx.resolver.resolve(ctx.hostname);
      dnsMs += res.ms;
      if (!res.ok) {
        reason = `dns-${res.reason}`;
        break;
      }
      let next = res.addresses.find((a) => !state.tried.has(a));
      if (!next && !resolvedAgain) {
        // Every cached address failed: forget them and ask again.
        resolvedAgain = true;
        ctx.resolver.cache.invalidate(ctx.hostname);
        state.tried.clear();
        const again = await ctx.resolver.resolve(ctx.hostname);
        dnsMs += again.ms;
        if (!again.ok) {
          reason = `dns-${again.reason}`;
          break;
        }
        next = again.addresses[0];
      }
      if (!next) {
        // Keep the last connection error: it says more than "nothing left to try".
        if (reason === 'no-attempt') reason = 'no-address-left';
        break;
      }
      const route = ctx.route(next);
      if (!route) {
        state.tried.add(next);
        reason = 'unknown-address';
        attempts += 1;
        continue;
      }
      state.agent = new RouteAgent(route, clock);
      state.address = next;
    }
    attempts += 1;
    const result = await send(ctx, clock, state.agent, method, path, body, headers);
    connectMs += result.connectMs;
    responseMs += result.responseMs;
    if (result.ok) {
      const region = headerOf(result.reply, 'x-meridian-region');
      const bad = check(result.reply);
      finish(!bad, region, bad);
      return bad ? undefined : result.reply;
    }
    reason = result.reason;
    state.agent.destroy();
    state.agent = undefined;
    if (state.address) state.tried.add(state.address);
  }
  finish(false, null, reason);
  return undefined;
}

function send(
  ctx: JourneyContext,
  clock: Clock,
  agent: RouteAgent,
  method: string,
  path: string,
  body: unknown,
  headers: Record<string, string>,
): Promise<Attempt> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const t0 = clock.monotonic();
  return new Promise((resolve) => {
    let connectMs = 0;
    let sentAt = t0;
    let connected = false;
    let done = false;
    const settle = (a: Attempt) => {
      if (done) return;
      done = true;
      resolve(a);
    };
    const req = request({
      agent,
      method,
      path,
      host: ctx.hostname,
      headers: {
        host: ctx.hostname,
        ...headers,
        ...(payload
          ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
          : {}),
      },
    });
    req.setTimeout(ctx.requestTimeoutMs ?? 5000, () => req.destroy(new Error('timeout')));
    req.on('socket', (s) => {
      if (req.reusedSocket) {
        connected = true;
        return;
      }
      s.once('connect', () => {
        connected = true;
        connectMs = (agent.connectedAtMs ?? clock.monotonic()) - (agent.createdAtMs ?? t0);
        sentAt = clock.monotonic();
      });
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      const now = clock.monotonic();
      if (!connected) settle({ ok: false, reason: classify(err), connectMs: now - t0, responseMs: 0 });
      else settle({ ok: false, reason: classify(err), connectMs, responseMs: now - sentAt });
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (err: NodeJS.ErrnoException) =>
        settle({ ok: false, reason: classify(err), connectMs, responseMs: clock.monotonic() - sentAt }),
      );
      res.on('end', () =>
        settle({
          ok: true,
          reply: {
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          },
          connectMs,
          responseMs: clock.monotonic() - sentAt,
        }),
      );
    });
    req.end(payload);
  });
}

function classify(err: NodeJS.ErrnoException): string {
  if (err.message === 'timeout') return 'timeout';
  switch (err.code) {
    case 'ECONNREFUSED':
      return 'connect-refused';
    case 'ECONNRESET':
      return 'connection-reset';
    case 'EPIPE':
      return 'connection-reset';
    default:
      return err.code ? err.code.toLowerCase() : 'socket-error';
  }
}

function headerOf(r: Reply, name: string): string | null {
  const v = r.headers[name];
  return typeof v === 'string' ? v : Array.isArray(v) ? (v[0] ?? null) : null;
}

export function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
