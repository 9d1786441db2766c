// `--escrow` for `meridian home` and `meridian region`: a directory, or `s3://bucket/prefix`
// (any S3-compatible store: `--s3-endpoint`, else $AWS_ENDPOINT_URL_S3 / $AWS_ENDPOINT_URL;
// credentials and region from the SDK's usual chain, region default us-east-1).
import { S3Client } from '@aws-sdk/client-s3';
import type { EscrowStore } from '../config/index.js';
import { directoryEscrowStore, s3EscrowStore } from '../config/io/index.js';
import { MeridianError } from '../core/index.js';

export type EscrowLocation =
  | { readonly kind: 'directory'; readonly path: string }
  | { readonly kind: 's3'; readonly bucket: string; readonly prefix: string };

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Reads the flag's value; throws MERIDIAN_USAGE for an `s3://` URL without a valid bucket. */
export function parseEscrowLocation(value: string, flag = '--escrow'): EscrowLocation {
  if (!value.startsWith('s3://')) return { kind: 'directory', path: value };
  const rest = value.slice('s3://'.length);
  const slash = rest.indexOf('/');
  const bucket = slash === -1 ? rest : rest.slice(0, slash);
  let prefix = slash === -1 ? '' : rest.slice(slash + 1);
  if (!BUCKET.test(bucket)) {
    throw new MeridianError(
      'MERIDIAN_USAGE',
      `${flag} ${value}: "${bucket}" is not an S3 bucket name (3–63 of a-z 0-9 . -); write s3://BUCKET/PREFIX`,
    );
  }
  if (prefix && !prefix.endsWith('/')) prefix += '/';
  return { kind: 's3', bucket, prefix };
}

export interface EscrowFromFlag {
  readonly store: EscrowStore;
  /** For log lines: the directory, or `s3://bucket/prefix at <endpoint>`. */
  readonly description: string;
  /** Releases the S3 client (nothing for a directory). */
  close(): void;
}

/** The escrow store the flag names. */
export function escrowFromFlag(
  value: string,
  options: { endpoint?: string | undefined; env?: NodeJS.ProcessEnv } = {},
): EscrowFromFlag {
  const location = parseEscrowLocation(value);
  if (location.kind === 'directory') {
    return { store: directoryEscrowStore(location.path), description: location.path, close: () => undefined };
  }
  const env = options.env ?? process.env;
  const endpoint = options.endpoint ?? env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL;
  const client = new S3Client({
    region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1',
    ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
    // Checksums only where S3 requires them: S3-compatible stores (s3rver, MinIO) reject the rest.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return {
    store: s3EscrowStore({ client, bucket: location.bucket, prefix: location.prefix }),
    description: `s3://${location.bucket}/${location.prefix}${endpoint ? ` at ${endpoint}` : ''}`,
    close: () => client.destroy(),
  };
}
