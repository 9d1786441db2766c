// Reads, lints and resolves a world file in a worker thread, so that a server reloading a large
// or broken world keeps answering: the main thread only receives the result, in chunks, giving
// way to other work between two chunks.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { deepFreeze, MeridianError } from '../../core/index.js';
import type { Diagnostic } from '../diagnostic.js';
import type { LintResult } from '../lint-world.js';
import type { Network, World } from '../world.js';
import { invalidWorld } from './load-world.js';
import { type ReadWorldFileOptions, worldMaxBytes } from './read-world-file.js';
import type { FromLoader, LoaderRequest } from './world-loader-messages.js';

export interface WorkerLoadOptions extends ReadWorldFileOptions {
  /** Diagnostics or networks per message from the worker (default 1000). */
  readonly chunkSize?: number;
  /** Stops the worker; the promise then rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

/** What `lintWorldFile` returns, computed off the main thread (without the file's text). */
export async function lintWorldFileInWorker(
  path: string,
  options: WorkerLoadOptions = {},
): Promise<LintResult> {
  const request: LoaderRequest = {
    path,
    maxBytes: worldMaxBytes(options),
    chunkSize: options.chunkSize ?? 1000,
  };
  options.signal?.throwIfAborted();
  const worker = startWorker(request);
  const inbox = new Inbox(worker, path);
  const onAbort = () => void worker.terminate();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const head = await inbox.next();
    if (head.type === 'error') throw new MeridianError(head.code, head.message);
    if (head.type !== 'head') throw inbox.unexpected(head.type);
    const diagnostics: Diagnostic[] = [];
    const networks: Network[] = [];
    while (diagnostics.length < head.diagnostics || networks.length < head.networks) {
      // give way to whatever else is waiting (DNS queries) before taking the next chunk
      await new Promise((resolve) => setImmediate(resolve));
      options.signal?.throwIfAborted();
      worker.postMessage('next');
      const chunk = await inbox.next();
      if (chunk.type === 'diagnostics') for (const d of chunk.items) diagnostics.push(deepFreeze(d));
      else if (chunk.type === 'networks') for (const n of chunk.items) networks.push(deepFreeze(n));
      else throw inbox.unexpected(chunk.type);
    }
    if (!head.world) return { diagnostics };
    return { diagnostics, world: deepFreeze({ ...head.world, networks }) };
  } catch (err) {
    options.signal?.throwIfAborted();
    throw err;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    inbox.close();
    void worker.terminate();
  }
}

/** `loadWorld` off the main thread: the valid world, or MERIDIAN_WORLD_INVALID with every error. */
export async function loadWorldInWorker(path: string, options: WorkerLoadOptions = {}): Promise<World> {
  const result = await lintWorldFileInWorker(path, options);
  if (!result.world) throw invalidWorld(path, result.diagnostics);
  return result.world;
}

/**
 * The worker runs the compiled `world-loader-worker.js` next to this file; from TypeScript
 * sources (tests, tsx) it loads the `.ts` file through tsx, a development dependency.
 */
function startWorker(request: LoaderRequest): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) {
    return new Worker(new URL('./world-loader-worker.js', here), { workerData: request });
  }
  const tsx = pathToFileURL(createRequire(here).resolve('tsx/esm/api')).href.replace(/\.cjs$/, '.mjs');
  const entry = new URL('./world-loader-worker.ts', here).href;
  return new Worker(
    `import(${JSON.stringify(tsx)}).then((t) => { t.register(); return import(${JSON.stringify(entry)}); });`,
    { eval: true, workerData: request },
  );
}

/** The worker's messages in order, and its failure (an error, or an exit before the answer). */
class Inbox {
  readonly #worker: Worker;
  readonly #path: string;
  readonly #queue: FromLoader[] = [];
  #failure: Error | null = null;
  #wake: (() => void) | null = null;

  constructor(worker: Worker, path: string) {
    this.#worker = worker;
    this.#path = path;
    worker.on('message', this.#onMessage);
    worker.on('error', this.#onError);
    worker.on('exit', this.#onExit);
  }

  readonly #onMessage = (m: FromLoader) => {
    this.#queue.push(m);
    this.#wake?.();
  };

  readonly #onError = (err: Error) => this.#fail(err.message, err);

  readonly #onExit = (code: number) => this.#fail(`it exited with code ${code}`);

  #fail(reason: string, cause?: unknown): void {
    this.#failure ??= new MeridianError(
      'MERIDIAN_WORLD_LOADER_FAILED',
      `the worker loading world file ${this.#path} stopped before answering: ${reason}; the world file was not loaded`,
      { cause },
    );
    this.#wake?.();
  }

  async next(): Promise<FromLoader> {
    for (;;) {
      const m = this.#queue.shift();
      if (m) return m;
      if (this.#failure) throw this.#failure;
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
      this.#wake = null;
    }
  }

  unexpected(type: string): MeridianError {
    return new MeridianError(
      'MERIDIAN_WORLD_LOADER_FAILED',
      `the worker loading world file ${this.#path} sent "${type}" out of turn; the world file was not loaded`,
    );
  }

  close(): void {
    this.#worker.off('message', this.#onMessage);
    this.#worker.off('error', this.#onError);
    this.#worker.off('exit', this.#onExit);
  }
}
