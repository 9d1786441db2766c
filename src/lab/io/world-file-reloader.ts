// Watches the running world's file (and SIGHUP): on each change, lints it (in a worker thread,
// so the lab keeps serving meanwhile) and hands a valid world to `apply`; an invalid file is
// reported and ignored, so the running world stays.
import { type FSWatcher, watch } from 'node:fs';
import { basename, dirname } from 'node:path';
import { type Diagnostic, formatDiagnostic, type World } from '../../world/index.js';
import { lintWorldFileInWorker } from '../../world/io/index.js';

export type WorldReloadOutcome =
  | { readonly kind: 'applied'; readonly why: string; readonly result: unknown; readonly atMs: number }
  | { readonly kind: 'unchanged'; readonly why: string }
  | { readonly kind: 'invalid'; readonly why: string; readonly diagnostics: readonly string[] }
  | { readonly kind: 'failed'; readonly why: string; readonly error: string };

export interface WorldFileReloaderOptions {
  readonly path: string;
  /** The world hash now running (a change that leaves the hash equal is ignored). */
  readonly currentHash: () => string;
  readonly apply: (world: World) => Promise<unknown>;
  readonly onOutcome?: (o: WorldReloadOutcome) => void;
  /** Debounce for bursts of file events (default 100 ms). */
  readonly debounceMs?: number;
  /** Reload on SIGHUP too (default true). */
  readonly sighup?: boolean;
}

/** `start()` watches the file's directory (editors replace files) and SIGHUP; `stop()` ends it. */
export class WorldFileReloader {
  readonly #o: WorldFileReloaderOptions;
  #watcher: FSWatcher | undefined;
  #timer: NodeJS.Timeout | undefined;
  #chain: Promise<void> = Promise.resolve();
  readonly #onHup = () => void this.reload('SIGHUP');

  constructor(options: WorldFileReloaderOptions) {
    this.#o = options;
  }

  start(): void {
    const name = basename(this.#o.path);
    try {
      this.#watcher = watch(dirname(this.#o.path), { persistent: false }, (_e, file) => {
        if (file !== null && file.toString() !== name) return;
        if (this.#timer) clearTimeout(this.#timer);
        this.#timer = setTimeout(() => {
          this.#timer = undefined;
          void this.reload('file change');
        }, this.#o.debounceMs ?? 100);
      });
      this.#watcher.on('error', () => {});
    } catch {
      // no watching on this file system: SIGHUP still reloads
    }
    if (this.#o.sighup !== false) process.on('SIGHUP', this.#onHup);
  }

  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#watcher?.close();
    process.off('SIGHUP', this.#onHup);
  }

  /** Reads, lints and applies the file now (one reload at a time); resolves with the outcome. */
  reload(why: string): Promise<WorldReloadOutcome> {
    const run = this.#chain.then(() => this.#reload(why));
    this.#chain = run.then(() => {});
    return run;
  }

  async #reload(why: string): Promise<WorldReloadOutcome> {
    let outcome: WorldReloadOutcome;
    try {
      const linted = await lintWorldFileInWorker(this.#o.path);
      if (!linted.world) {
        outcome = { kind: 'invalid', why, diagnostics: errorsOf(this.#o.path, linted.diagnostics) };
      } else if (linted.world.hash === this.#o.currentHash()) {
        outcome = { kind: 'unchanged', why };
      } else {
        const result = await this.#o.apply(linted.world);
        outcome = { kind: 'applied', why, result, atMs: Date.now() };
      }
    } catch (err) {
      outcome = { kind: 'failed', why, error: (err as Error).message };
    }
    this.#o.onOutcome?.(outcome);
    return outcome;
  }
}

function errorsOf(path: string, diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.filter((d) => d.severity === 'error').map((d) => formatDiagnostic(path, d));
}
