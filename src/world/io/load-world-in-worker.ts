// Reads, lints and resolves a world file in a worker thread, so that a server reloading a large
// or broken world keeps answering: the main thread only receives the result, in chunks, giving
// way to other work between two chunks. One idle worker is kept (unreferenced) for the next
// load, for a minute: starting one costs more than a small world's whole load.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { deepFreeze, MeridianError } from '../../core/index.js';
import type { Diagnostic } from '../diagnostic.js';
import type { LintResult } from '../lint-world.js';
import type { Network, World } from '../world.js';
import { invalidWorld } from './load-world.js';
import { type ReadWorldFileOptions, worldMaxBytes } from './read-world-file.js';
import type { FromLoader, ToLoader } from './world-loader-messages.js';

export interface WorkerLoadOptions extends ReadWorldFileOptions {
  /** Diagnostics or networks per message from the worker (default 500). */
  readonly chunkSize?: number;
  /** Stops the load (and its worker); the promise then rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  /** `loadWorldInWorker`: how many errors MERIDIAN_WORLD_INVALID lists (default: all). */
  readonly maxErrorsListed?: number;
}

/** How long an idle worker is kept for the next load. */
const IDLE_WORKER_MS = 60_000;

/** What `lintWorldFile` returns, computed off the main thread (without the file's text). */
export async function lintWorldFileInWorker(
  path: string,
  options: WorkerLoadOptions = {},
): Promise<LintResult> {
  const maxBytes = worldMaxBytes(options);
  options.signal?.throwIfAborted();
  const loader = LoaderThread.take();
  const onAbort = () => loader.kill();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  let done = false;
  try {
    loader.send({ type: 'load', path, maxBytes, chunkSize: options.chunkSize ?? 500 });
    const head = await loader.next(path);
    if (head.type === 'error') {
      done = true;
      throw new MeridianError(head.code, head.message);
    }
    if (head.type !== 'head') throw outOfTurn(path, head.type);
    const diagnostics: Diagnostic[] = [];
    const networks: Network[] = [];
    while (diagnostics.length < head.diagnostics || networks.length < head.networks) {
      // give way to whatever else is waiting (DNS queries) before taking the next chunk
      await new Promise((resolve) => setImmediate(resolve));
      options.signal?.throwIfAborted();
      loader.send({ type: 'next' });
      const chunk = await loader.next(path);
      if (chunk.type === 'diagnostics') for (const d of chunk.items) diagnostics.push(deepFreeze(d));
      else if (chunk.type === 'networks') for (const n of chunk.items) networks.push(deepFreeze(n));
      else throw outOfTurn(path, chunk.type);
    }
    done = true;
    if (!head.world) return { diagnostics };
    return { diagnostics, world: deepFreeze({ ...head.world, networks }) };
  } catch (err) {
    options.signal?.throwIfAborted();
    throw err;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    if (done) loader.release();
    else loader.kill();
  }
}

/** `loadWorld` off the main thread: the valid world, or MERIDIAN_WORLD_INVALID with every error. */
export async function loadWorldInWorker(path: string, options: WorkerLoadOptions = {}): Promise<World> {
  const result = await lintWorldFileInWorker(path, options);
  if (!result.world) throw invalidWorld(path, result.diagnostics, options.maxErrorsListed);
  return result.world;
}

function outOfTurn(path: string, type: string): MeridianError {
  return new MeridianError(
    'MERIDIAN_WORLD_LOADER_FAILED',
    `the worker loading world file ${path} sent "${type}" out of turn; the world file was not loaded`,
  );
}

/** One worker thread: its messages in order, and its failure (an error, or an exit). */
class LoaderThread {
  static #idle: LoaderThread | null = null;

  /** The idle worker, or a new one. */
  static take(): LoaderThread {
    const idle = LoaderThread.#idle;
    LoaderThread.#idle = null;
    if (idle && !idle.#failure) {
      clearTimeout(idle.#idleTimer);
      idle.#worker.ref();
      return idle;
    }
    return new LoaderThread();
  }

  readonly #worker: Worker;
  readonly #queue: FromLoader[] = [];
  #failure: string | null = null;
  #wake: (() => void) | null = null;
  #idleTimer: NodeJS.Timeout | undefined;

  private constructor() {
    this.#worker = startWorker();
    this.#worker.on('message', (m: FromLoader) => {
      this.#queue.push(m);
      this.#wake?.();
    });
    this.#worker.on('error', (err) => this.#fail(err.message));
    this.#worker.on('exit', (code) => this.#fail(`it exited with code ${code}`));
  }

  send(message: ToLoader): void {
    this.#worker.postMessage(message);
  }

  async next(path: string): Promise<FromLoader> {
    for (;;) {
      const m = this.#queue.shift();
      if (m) return m;
      if (this.#failure) {
        throw new MeridianError(
          'MERIDIAN_WORLD_LOADER_FAILED',
          `the worker loading world file ${path} stopped before answering: ${this.#failure}; the world file was not loaded`,
        );
      }
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
      this.#wake = null;
    }
  }

  /** Keeps the worker for the next load (unreferenced: it never holds the process open). */
  release(): void {
    if (this.#failure || this.#queue.length > 0 || LoaderThread.#idle) {
      this.kill();
      return;
    }
    this.#worker.unref();
    this.#idleTimer = setTimeout(() => {
      if (LoaderThread.#idle === this) LoaderThread.#idle = null;
      this.kill();
    }, IDLE_WORKER_MS);
    this.#idleTimer.unref();
    LoaderThread.#idle = this;
  }

  kill(): void {
    this.#fail('it was stopped');
    void this.#worker.terminate();
  }

  #fail(reason: string): void {
    this.#failure ??= reason;
    this.#wake?.();
  }
}

/**
 * The worker runs the compiled `world-loader-worker.js` next to this file; from TypeScript
 * sources (tests, tsx) it loads the `.ts` file through tsx, a development dependency.
 */
function startWorker(): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./world-loader-worker.js', here));
  const tsx = pathToFileURL(createRequire(here).resolve('tsx/esm/api')).href.replace(/\.cjs$/, '.mjs');
  const entry = new URL('./world-loader-worker.ts', here).href;
  return new Worker(
    `import(${JSON.stringify(tsx)}).then((t) => { t.register(); return import(${JSON.stringify(entry)}); });`,
    { eval: true },
  );
}
