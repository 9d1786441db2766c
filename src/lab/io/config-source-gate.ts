// The lab's stand-in for "home's config source fails": an HTTP relay in front of home that
// passes everything through, except `/config/*` when the drill says the source is unavailable
// (503) or corrupt (a mangled snapshot); the escrow directory is hidden or corrupted with it.
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { Agent, createServer, request, type Server } from 'node:http';
import { join } from 'node:path';
import { MeridianError } from '../../core/index.js';

export type ConfigSourceMode = 'ok' | 'unavailable' | 'corrupt';

export interface ConfigSourceGateOptions {
  readonly listenHost: string;
  /** 0 picks a free port. */
  readonly listenPort?: number;
  /** Home's address now (it may move when home restarts on port 0). */
  readonly target: () => { readonly host: string; readonly port: number } | undefined;
  /** The escrow directory regions read when home does not answer. */
  readonly escrowDir: string;
}

/** `start()` listens; `setMode()` breaks or heals the source; `stop()` heals and closes. */
export class ConfigSourceGate {
  readonly #o: ConfigSourceGateOptions;
  readonly #agent = new Agent({ keepAlive: true, maxSockets: 64 });
  #server: Server | undefined;
  #mode: ConfigSourceMode = 'ok';
  #saved = new Map<string, Buffer>();
  #port = 0;

  constructor(options: ConfigSourceGateOptions) {
    this.#o = options;
  }

  get port(): number {
    return this.#port;
  }

  get mode(): ConfigSourceMode {
    return this.#mode;
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      if (this.#mode !== 'ok' && req.url?.startsWith('/config/')) {
        req.resume();
        if (this.#mode === 'unavailable') {
          res.writeHead(503, { 'content-type': 'text/plain' }).end('config source down (lab drill)\n');
        } else {
          res
            .writeHead(200, { 'content-type': 'application/json', etag: `"lab-corrupt-${Date.now()}"` })
            .end('{"version": 999999, "payload": "corrupt (lab drill)", "signature": "AAAA"}');
        }
        return;
      }
      const target = this.#o.target();
      if (!target) {
        req.resume();
        res.writeHead(502).end();
        return;
      }
      const up = request(
        {
          host: target.host,
          port: target.port,
          method: req.method,
          path: req.url,
          headers: req.headers,
          agent: this.#agent,
        },
        (r) => {
          res.writeHead(r.statusCode ?? 502, r.headers);
          r.pipe(res);
        },
      );
      up.on('error', () => {
        // Home is away: the region sees what it would see over a dead link.
        if (!res.headersSent) res.destroy();
        else res.destroy();
      });
      req.pipe(up);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err) =>
        reject(
          new MeridianError(
            'MERIDIAN_LAB_LISTEN_FAILED',
            `the config gate cannot listen on ${this.#o.listenHost}:${this.#o.listenPort ?? 0}: ${err.message}`,
            { cause: err },
          ),
        ),
      );
      server.listen(this.#o.listenPort ?? 0, this.#o.listenHost, () => resolve());
    });
    const a = server.address();
    this.#port = typeof a === 'object' && a ? a.port : 0;
    this.#server = server;
  }

  /** Breaks (`unavailable`, `corrupt`) or heals (`ok`) home's config endpoint and the escrow. */
  async setMode(mode: ConfigSourceMode): Promise<void> {
    if (mode === this.#mode) return;
    this.#healEscrow();
    this.#mode = mode;
    const dir = this.#o.escrowDir;
    if (mode === 'unavailable' && existsSync(dir)) renameSync(dir, `${dir}.down`);
    if (mode === 'corrupt' && existsSync(dir)) {
      for (const file of filesUnder(dir)) {
        this.#saved.set(file, readFileSync(file));
        writeFileSync(file, 'corrupt (lab drill)\n');
      }
    }
  }

  async stop(): Promise<void> {
    this.#healEscrow();
    this.#mode = 'ok';
    this.#agent.destroy();
    const server = this.#server;
    this.#server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  #healEscrow(): void {
    const dir = this.#o.escrowDir;
    if (this.#mode === 'unavailable' && existsSync(`${dir}.down`)) {
      if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
      renameSync(`${dir}.down`, dir);
    }
    for (const [file, bytes] of this.#saved) writeFileSync(file, bytes);
    this.#saved.clear();
  }
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p));
    else out.push(p);
  }
  return out;
}
