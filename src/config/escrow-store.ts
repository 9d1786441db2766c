// The object-store contract behind escrow: a directory by default, S3 in real deployments.

export type StoredObject =
  | { readonly kind: 'found'; readonly body: Uint8Array; readonly etag: string }
  | { readonly kind: 'not-modified' }
  /** Larger than the `maxBytes` asked for: refused before its body was read. */
  | { readonly kind: 'too-large'; readonly size: number; readonly etag: string }
  | { readonly kind: 'missing' };

export interface GetOptions {
  /** Answer `not-modified` (without reading the body) when the object's ETag is this one. */
  readonly ifNoneMatch?: string;
  /** Answer `too-large` (without reading the body) when the object is larger than this. */
  readonly maxBytes?: number;
  readonly signal?: AbortSignal;
}

/** A flat key -> bytes store. Implementations throw on transport failures; `get` never throws for a missing key. */
export interface EscrowStore {
  /** `directory`, `s3`, ...: used in source names and messages. */
  readonly kind: string;
  /** Reads an object; a conditional or capped read does not transfer the body it refuses. */
  get(key: string, options?: GetOptions): Promise<StoredObject>;
  /** Replaces the object atomically (readers see the old or the new bytes, never a mix). */
  put(key: string, body: Uint8Array): Promise<void>;
}
