// bench/fastify: the plugin's overhead per request. The same Fastify route (`GET /hello`,
// answering the user and a config value) without Meridian and with `meridianFastify` (session
// verified from the header into request.session, config from the cache, /healthz, metrics,
// outbox and flusher idle), against a real home on loopback. autocannon, one run each,
// alternating; `npm run bench:fastify`. Servers and autocannon share this process.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { z } from 'zod';
import { generateSigningKeys } from '../../src/config/index.js';
import { deriveSenderKey, systemClock } from '../../src/core/index.js';
import { meridianFastify } from '../../src/fastify/index.js';
import { startHome } from '../../src/home/index.js';
import {
  createSessionCodec,
  createSessionKeyRing,
  defineSessionFormat,
  field,
} from '../../src/session/index.js';
import { notesWorkload } from '../../src/workload/test-support/notes-workload.js';

interface Result {
  requests: { average: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
}
const autocannon = createRequire(import.meta.url)('autocannon') as (
  o: Record<string, unknown>,
) => Promise<Result>;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const SECRET = 'bench-fastify-request-secret-0123456789';

const dir = mkdtempSync(join(tmpdir(), 'meridian-bench-fastify-'));
const signing = generateSigningKeys();
const home = await startHome({
  workload: notesWorkload,
  port: 0,
  dataDir: join(dir, 'home'),
  escrowDir: join(dir, 'escrow'),
  signingKey: signing.privateKey,
  adminToken: 'bench-fastify-admin-token',
  requestSecret: SECRET,
  buildVersion: 'bench',
});
const keys = createSessionKeyRing({ keys: [{ id: 1, secret: randomBytes(32) }], activeKeyId: 1 });
const format = defineSessionFormat({ prefix: 'us', fields: { user: field.string({ maxBytes: 64 }) } });
const codec = createSessionCodec(format, { keys, clock: systemClock });
const session = codec.issue({ user: 'ada' }, { ttlSeconds: 3600 });

async function plain(): Promise<FastifyInstance> {
  const app = Fastify();
  app.get('/hello', async () => ({ user: 'ada', banner: 'hello' }));
  return app;
}
async function withMeridian(): Promise<FastifyInstance> {
  const app = Fastify();
  await app.register(meridianFastify, {
    region: 'eu-west-2',
    homeUrl: home.url,
    config: { name: 'config', publicKey: signing.publicKey, schema: z.object({ banner: z.string() }) },
    dataDir: join(dir, 'service'),
    regionKey: deriveSenderKey(SECRET, 'region:eu-west-2'),
    sessions: codec,
    drainGraceMs: false,
  });
  app.get('/hello', { preHandler: app.meridian.requireSession }, async (request) => {
    const config = app.meridian.config() as { banner: string } | undefined;
    return { user: request.session?.row.user, banner: config?.banner ?? null };
  });
  await app.ready();
  await app.meridian.cache.pollNow();
  return app;
}

const apps = { plain: await plain(), meridian: await withMeridian() };
const urls: Record<string, string> = {};
for (const [name, app] of Object.entries(apps)) {
  await app.listen({ host: '127.0.0.1', port: 0 });
  urls[name] = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/hello`;
}
const results: Record<string, Result[]> = { plain: [], meridian: [] };
for (let i = 0; i < ROUNDS; i++) {
  for (const name of i % 2 === 0 ? ['plain', 'meridian'] : ['meridian', 'plain']) {
    results[name]!.push(
      await autocannon({
        url: urls[name],
        connections: CONNECTIONS,
        duration: SECONDS,
        headers: { authorization: `Session ${session}` },
      }),
    );
  }
}
const best = (rs: Result[]) => rs.reduce((a, b) => (b.requests.average > a.requests.average ? b : a));
const p = best(results.plain!);
const m = best(results.meridian!);
console.log(`| side | req/s | p50 ms | p99 ms | non-2xx |\n|---|---|---|---|---|`);
for (const [name, r] of [
  ['plain Fastify', p],
  ['with meridianFastify', m],
] as const) {
  console.log(
    `| ${name} | ${Math.round(r.requests.average)} | ${r.latency.p50} | ${r.latency.p99} | ${r.non2xx + r.errors} |`,
  );
}
const perRequestUs = 1e6 / m.requests.average - 1e6 / p.requests.average;
console.log(
  `\nthroughput with the plugin: ${((m.requests.average / p.requests.average) * 100).toFixed(1)} % of plain; ` +
    `≈ ${perRequestUs.toFixed(1)} µs more per request (from the throughput difference, one event loop)`,
);
for (const app of Object.values(apps)) await app.close();
await home.stop();
rmSync(dir, { recursive: true, force: true });
