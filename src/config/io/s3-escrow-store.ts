// Escrow in S3 (or any S3-compatible store) through @aws-sdk/client-s3.
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { EscrowStore, StoredObject } from '../escrow-store.js';

export interface S3EscrowOptions {
  /** A configured client; the caller owns it (and destroys it). */
  readonly client: S3Client;
  readonly bucket: string;
  /** Prepended to every key, e.g. `meridian/`. */
  readonly prefix?: string;
}

/**
 * An EscrowStore in an S3 bucket. A 304 comes back from the SDK as a thrown error (from real
 * S3 and from s3rver alike), so it is recognised by `$metadata.httpStatusCode`. An object
 * over `maxBytes` is refused on its `Content-Length` and its body is not downloaded.
 */
export function s3EscrowStore(options: S3EscrowOptions): EscrowStore {
  const { client, bucket } = options;
  const prefix = options.prefix ?? '';
  return {
    kind: 's3',
    async get(key, opts): Promise<StoredObject> {
      try {
        const out = await client.send(
          new GetObjectCommand({
            Bucket: bucket,
            Key: prefix + key,
            ...(opts?.ifNoneMatch ? { IfNoneMatch: opts.ifNoneMatch } : {}),
          }),
          { abortSignal: opts?.signal },
        );
        const etag = out.ETag ?? '';
        const size = out.ContentLength;
        if (opts?.maxBytes !== undefined && size !== undefined && size > opts.maxBytes) {
          // Refused on its Content-Length: drop the connection rather than download the body.
          (out.Body as { destroy?: () => void } | undefined)?.destroy?.();
          return { kind: 'too-large', size, etag };
        }
        const body = out.Body ? await out.Body.transformToByteArray() : new Uint8Array();
        if (opts?.maxBytes !== undefined && body.byteLength > opts.maxBytes) {
          return { kind: 'too-large', size: body.byteLength, etag };
        }
        return { kind: 'found', body, etag };
      } catch (err) {
        const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
        const name = (err as { name?: string }).name;
        if (status === 304) return { kind: 'not-modified' };
        if (status === 404 || name === 'NoSuchKey') return { kind: 'missing' };
        throw err;
      }
    },
    async put(key, body) {
      await client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: prefix + key,
          Body: body,
          ContentType: 'application/json',
        }),
      );
    },
  };
}
