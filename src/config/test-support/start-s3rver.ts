// Test support: a real s3rver on 127.0.0.1 port 0 with one bucket, and an SDK client for it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';

export interface RunningS3 {
  readonly endpoint: string;
  readonly bucket: string;
  /** A fresh client for this server; the caller destroys it (or leaves it to close()). */
  client(): S3Client;
  close(): Promise<void>;
}

export async function startS3rver(bucket = 'escrow'): Promise<RunningS3> {
  const directory = await mkdtemp(join(tmpdir(), 'meridian-s3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket }],
  });
  const addr = await server.run();
  const endpoint = `http://127.0.0.1:${addr.port}`;
  const clients: S3Client[] = [];
  return {
    endpoint,
    bucket,
    client() {
      const c = s3ClientFor(endpoint);
      clients.push(c);
      return c;
    },
    async close() {
      for (const c of clients) c.destroy();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/** An SDK client configured the way s3rver needs (path style, checksums only when required). */
export function s3ClientFor(endpoint: string): S3Client {
  return new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}
