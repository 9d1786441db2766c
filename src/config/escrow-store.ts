// The object-store contract behind escrow: a directory by default, S3 in real deployments.

export type StoredObject =
  | { readonly kind: 'found'; readonly body: Uint8Array; readonly etag: string }
  | { readonly kind: 'not-modified' }
  | { readonly kind: 'missing' };

/** A flat key -> bytes store. Implementations throw on transport failures; `get` never throws for a missing key. */
export interface EscrowStore {
  /** `directory`, `s3`, ...: used in source names and messages. */
  readonly kind: string;
  get(key: string, options?: { ifNoneMatch?: string; signal?: AbortSignal }): Promise<StoredObject>;
  /** Replaces the object atomically (readers see the old or the new bytes, never a mix). */
  put(key: string, body: Uint8Array): Promise<void>;
}
