// The contract every place a region can fetch a snapshot from (home HTTP, escrow) implements.

/** What one fetch from one source produced. Sources report failures as values, never throw. */
export type SourceFetch =
  /** Nothing newer than what the cursor / current version names; `cursor` replaces the old one. */
  | { readonly kind: 'unchanged'; readonly cursor?: string }
  /** Envelope bytes to verify; keep `cursor` only if they are accepted (or the same version). */
  | { readonly kind: 'snapshot'; readonly bytes: Uint8Array; readonly cursor?: string }
  /** The source answered but has nothing published yet. */
  | { readonly kind: 'empty'; readonly detail: string }
  /** The source could not be reached or answered nonsense. */
  | { readonly kind: 'failed'; readonly detail: string };

export interface FetchRequest {
  /** What this source returned with the last snapshot we kept (e.g. an ETag), if any. */
  readonly cursor: string | undefined;
  /** The version held now (0 before the first). */
  readonly currentVersion: number;
  /** Aborted on timeout or `stop()`. */
  readonly signal: AbortSignal;
}

/** A place snapshots come from. `name` labels metrics and events (`home`, `escrow`, ...). */
export interface ConfigSource {
  readonly name: string;
  fetch(request: FetchRequest): Promise<SourceFetch>;
  /** Releases connections; the cache calls it from `stop()`. */
  close?(): Promise<void>;
}
