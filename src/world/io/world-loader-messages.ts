// The messages between `lintWorldFileInWorker` and its worker thread (structured-clone safe).
import type { Diagnostic } from '../diagnostic.js';
import type { Network, World } from '../world.js';

/** What the worker is asked to do (its workerData). */
export interface LoaderRequest {
  readonly path: string;
  readonly maxBytes: number;
  /** Diagnostics or networks per message. */
  readonly chunkSize: number;
}

/** What the worker answers: first `head` (or `error`), then one chunk per request. */
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
