// The running world's control endpoint on loopback: `meridian drill …` posts drills here and
// reads status. Its address is written to a state file so the drill command can find it. It has
// no token (loopback only), so the shared admin guard keeps web pages out (Host, Origin, JSON).
import { rmSync, writeFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { isMeridianError, MeridianError } from '../../core/index.js';
import { createHttpApp, installAdminGuard } from '../../http/io/index.js';
import type { DrillSpec, TimelineEntry } from '../drill-plan.js';
import { parseDrillCommand } from '../parse-drill-command.js';

/** Where `meridian up` records its control address (relative to the working directory). */
export const DEFAULT_LAB_STATE_FILE = '.meridian-up.json';

export interface LabState {
  readonly pid: number;
  readonly controlUrl: string;
  readonly startedAtMs: number;
  readonly worldFile: string;
}

export interface LabControlHandlers {
  /** Starts a drill; returns its timeline (offsets from now). */
  drill(spec: DrillSpec): Promise<{ readonly id: string; readonly timeline: readonly TimelineEntry[] }>;
  /** Anything JSON: the live view state, child processes, reports written. */
  status(): unknown;
}

export interface LabControlServerOptions {
  readonly handlers: LabControlHandlers;
  /**
   * Region names, so `drill region-down typo` fails before anything happens: a list, or a
   * function read on each drill (the running world's regions, which a reload changes).
   */
  readonly regions: readonly string[] | (() => readonly string[]);
  /** The world's network names (for `latency NETWORK …`), read on each drill. */
  readonly networks?: () => readonly string[];
  readonly stateFile?: string;
  readonly worldFile: string;
  readonly host?: string;
  readonly port?: number;
}

/** `start()` listens and writes the state file; `stop()` closes and removes it. */
export class LabControlServer {
  readonly #options: LabControlServerOptions;
  #app: FastifyInstance | undefined;
  #url = '';

  constructor(options: LabControlServerOptions) {
    this.#options = options;
  }

  get url(): string {
    return this.#url;
  }

  async start(): Promise<void> {
    const app = createHttpApp({ logger: false, forceCloseConnections: true }, { name: 'lab-control' });
    installAdminGuard(app, { refusalBody: (code, message) => ({ code, message }) });
    app.post('/drills', async (req, reply) => {
      const body = req.body as { argv?: unknown } | undefined;
      const argv = body?.argv;
      if (!Array.isArray(argv) || !argv.every((a) => typeof a === 'string')) {
        return reply
          .code(400)
          .send({ code: 'MERIDIAN_LAB_BAD_DRILL', message: 'body must be {"argv": [string]}' });
      }
      let spec: DrillSpec;
      try {
        const regions = this.#options.regions;
        spec = parseDrillCommand(
          argv,
          typeof regions === 'function' ? regions() : regions,
          this.#options.networks?.(),
        );
      } catch (err) {
        if (isMeridianError(err)) return reply.code(400).send({ code: err.code, message: err.message });
        throw err;
      }
      const started = await this.#options.handlers.drill(spec);
      return reply.code(202).send({ spec, ...started });
    });
    app.get('/status', async () => this.#options.handlers.status());
    const host = this.#options.host ?? '127.0.0.1';
    try {
      await app.listen({ host, port: this.#options.port ?? 0 });
    } catch (err) {
      throw new MeridianError(
        'MERIDIAN_LAB_LISTEN_FAILED',
        `control endpoint cannot listen: ${(err as Error).message}`,
        {
          cause: err,
        },
      );
    }
    const addr = app.server.address();
    this.#url = `http://${host}:${typeof addr === 'object' && addr ? addr.port : 0}`;
    this.#app = app;
    const state: LabState = {
      pid: process.pid,
      controlUrl: this.#url,
      startedAtMs: Date.now(),
      worldFile: this.#options.worldFile,
    };
    writeFileSync(this.#stateFile(), `${JSON.stringify(state, null, 2)}\n`);
  }

  async stop(): Promise<void> {
    const app = this.#app;
    this.#app = undefined;
    rmSync(this.#stateFile(), { force: true });
    await app?.close();
  }

  #stateFile(): string {
    return this.#options.stateFile ?? DEFAULT_LAB_STATE_FILE;
  }
}
