// README example: escrow in S3 (or any S3-compatible store) on both sides.
import assert from 'node:assert/strict';
import { S3Client } from '@aws-sdk/client-s3';
import { ConfigCache, ConfigPublisher, escrowSource, generateSigningKeys } from '../../index.js';
import { s3EscrowStore } from '../../io/index.js';

const client = new S3Client({
  endpoint: process.env.S3_ENDPOINT, // unset = real AWS S3
  region: process.env.AWS_REGION ?? 'us-east-1',
  forcePathStyle: Boolean(process.env.S3_ENDPOINT),
  requestChecksumCalculation: 'WHEN_REQUIRED',
});
const escrow = s3EscrowStore({
  client,
  bucket: process.env.S3_BUCKET ?? 'meridian-escrow',
  prefix: 'config/',
});
const { publicKey, privateKey } = generateSigningKeys();
const isFlags = (d: unknown) =>
  typeof d === 'object' && d !== null && !Array.isArray(d)
    ? { ok: true as const, value: d as Record<string, boolean> }
    : { ok: false as const, reason: 'flags must be an object' };

const publisher = new ConfigPublisher<Record<string, boolean>>({ name: 'flags', privateKey, escrow });
await publisher.start();
await publisher.publish({ newCheckout: true });

const cache = new ConfigCache({
  name: 'flags',
  publicKey,
  schema: isFlags,
  sources: [escrowSource(escrow, { name: 'flags' })],
});
cache.start();
await cache.waitUntilWarm(5_000);
assert.equal(cache.get().newCheckout, true);
assert.equal((await cache.pollNow()).outcome, 'unchanged'); // one conditional GET of the pointer
await cache.stop();
client.destroy();
