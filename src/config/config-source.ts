// The contract every place a region can fetch a snapshot from (home HTTP, escrow) implements.

/** What one fetch from one source produced. Sources report failures as values, never throw. */
export type SourceFetch =
  /**
   * Without a cursor: the same as what the request's cursor names (when that was a refused
   * snapshot, it is still that one). With a new cursor: nothing here is newer than the version
   * held (send this cursor next time).
   */
  | { readonly kind: 'unchanged'; readonly cursor?: string }
  /** Envelope bytes to verify; the cache sends `cursor` back next time whether it takes them or not. */
  | { readonly kind: 'snapshot'; readonly bytes: Uint8Array; readonly cursor?: string }
  /** A snapshot larger than the request's `maxBytes`, refused without reading it all. */
  | {
      readonly kind: 'too-large';
      readonly size: number;
      readonly detail: string;
      readonly version?: number;
      readonly cursor?: string;
    }
  /** The source answered but has nothing published yet. */
  | { readonly kind: 'empty'; readonly detail: string }
  /** The source could not be reached or answered nonsense. */
  | { readonly kind: 'failed'; readonly detail: string };

export interface FetchRequest {
  /**
   * What this source returned with the last snapshot the cache looked at (e.g. an ETag): the
   * one it holds, or the last one it refused, so an unchanged refused snapshot is not fetched
   * and verified again.
   */
  readonly cursor: string | undefined;
  /** The version held now (0 before the first). */
  readonly currentVersion: number;
  /** The largest envelope the cache accepts: read no more than this (answer `too-large`). */
  readonly maxBytes: number;
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
