// README example: home publishes, a region polls home (falling back to escrow) and serves from memory.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { z } from 'zod';
import { ConfigCache, ConfigPublisher, escrowSource, generateSigningKeys } from '../../index.js';
import { configPublisherRoutes, directoryEscrowStore, httpSource } from '../../io/index.js';

// The application owns the shape of `data`.
const schema = z
  .object({ partners: z.record(z.string(), z.object({ plan: z.enum(['free', 'pro']) })) })
  .strict();
type Partners = z.infer<typeof schema>;

const { publicKey, privateKey } = generateSigningKeys(); // home keeps privateKey; regions get publicKey
const dir = await mkdtemp(join(tmpdir(), 'meridian-readme-'));
const escrow = directoryEscrowStore(join(dir, 'escrow')); // embedded default; s3EscrowStore in production

// Home: a publisher mounted in home's Fastify app at GET /config/partners.
const publisher = new ConfigPublisher<Partners>({ name: 'partners', privateKey, escrow, schema });
await publisher.start(); // learns the last issued version from the escrow pointer
await publisher.publish({ partners: { acme: { plan: 'free' } } });
const home = Fastify();
await home.register(configPublisherRoutes, { publishers: [publisher] });
await home.listen({ host: '127.0.0.1', port: 0 });
const homeUrl = `http://127.0.0.1:${(home.server.address() as { port: number }).port}/config/partners`;

// Region: poll home, then escrow; reads never leave memory.
const cache = new ConfigCache<Partners>({
  name: 'partners',
  publicKey,
  schema,
  sources: [httpSource({ url: homeUrl }), escrowSource(escrow, { name: 'partners' })],
  pollIntervalMs: 30_000,
});
cache.on('meridian:config:rejected', (e) => console.warn('config rejected', e.source, e.reason, e.detail));
const configWarm = { name: 'config-warm', critical: true, check: cache.warmCheck }; // for /healthz
assert.equal(configWarm.check(), false);
cache.start();
await cache.waitUntilWarm(5_000);
assert.equal(cache.get().partners.acme?.plan, 'free');
assert.equal(Object.isFrozen(cache.get()), true);

// Home changes config; the next poll takes it. Then home goes away: escrow still delivers.
await publisher.publish({ partners: { acme: { plan: 'pro' } } });
assert.deepEqual(await cache.pollNow(), { outcome: 'accepted', source: 'home', version: 2 });
await home.close();
await publisher.publish({ partners: { acme: { plan: 'pro' }, globex: { plan: 'free' } } });
assert.deepEqual(await cache.pollNow(), { outcome: 'accepted', source: 'escrow-directory', version: 3 });
assert.equal(cache.get().partners.globex?.plan, 'free');

await cache.stop();
await rm(dir, { recursive: true, force: true });
