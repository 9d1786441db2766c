// The messages between `lintWorldFileInWorker` and its worker thread (structured-clone safe).
import type { Diagnostic } from '../diagnostic.js';
import type { Network, World } from '../world.js';

/** Load one world file; the worker answers `head` (or `error`). */
export interface LoadRequest {
  readonly type: 'load';
  readonly path: string;
  readonly maxBytes: number;
  /** Diagnostics or networks per chunk. */
  readonly chunkSize: number;
}

/** To the worker: a file to load, or the next chunk of the current one. */
export type ToLoader = LoadRequest | { readonly type: 'next' };

/** From the worker: first `head` (or `error`), then one chunk per `next`. */
export type FromLoader =
  | {
      readonly type: 'head';
      /** The resolved world without its networks (they follow in chunks), or null when invalid. */
      readonly world: World | null;
      readonly diagnostics: number;
      readonly networks: number;
    }
  | { readonly type: 'diagnostics'; readonly items: readonly Diagnostic[] }
  | { readonly type: 'networks'; readonly items: readonly Network[] }
  | { readonly type: 'error'; readonly code: string; readonly message: string };
