// README example: external-cache mode, a snapshot's entries served from the region's Redis.
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { ConfigCache, ConfigPublisher, escrowSource, generateSigningKeys } from '../../index.js';
import { directoryEscrowStore, RedisSnapshotCache } from '../../io/index.js';

type Links = Record<string, string>; // short code -> target URL (high cardinality, low write rate)
const isLinks = (d: unknown) =>
  typeof d === 'object' && d !== null
    ? { ok: true as const, value: d as Links }
    : { ok: false as const, reason: 'not an object' };

const { publicKey, privateKey } = generateSigningKeys();
const escrow = directoryEscrowStore(process.env.ESCROW_DIR ?? './escrow');
const publisher = new ConfigPublisher<Links>({ name: 'links', privateKey, escrow });
await publisher.start();
await publisher.publish({ abc: 'https://example.test/a', xyz: 'https://example.test/z' });

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const cache = new ConfigCache({
  name: 'links',
  publicKey,
  schema: isLinks,
  sources: [escrowSource(escrow, { name: 'links' })],
});
const external = new RedisSnapshotCache<Links>({
  redis,
  keyPrefix: process.env.KEY_PREFIX ?? 'meridian:links',
  source: cache,
  entries: (links) => Object.entries(links),
});
const linksWarm = { name: 'links-warm', critical: true, check: external.warmCheck }; // gate /healthz on it
external.start();
cache.start();
await cache.waitUntilWarm(5_000);
await external.settled();
assert.equal(linksWarm.check(), true);
assert.equal(await external.get('abc'), 'https://example.test/a');

await external.stop();
await cache.stop();
await redis.quit();
