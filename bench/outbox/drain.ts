// Drain/s from a region outbox into PostgreSQL through home's ingest over HTTP (home in its own
// process), side by side with two peers writing the same events straight into PostgreSQL:
// one INSERT … ON CONFLICT per event, and the ingest store's batched statement without HTTP.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { deriveSenderKey } from '../../src/core/index.js';
import type { IngestEvent } from '../../src/outbox/index.js';
import {
  HttpIngestTransport,
  Outbox,
  OutboxFlusher,
  PostgresIngestStore,
} from '../../src/outbox/io/index.js';
import { BENCH_SECRET } from './bench-secret.js';
import { clickPayload } from './payload.js';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('DATABASE_URL is not set, e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/test');
  process.exit(2);
}
const QUICK = Boolean(process.env.CI);
const TOTAL = QUICK ? 20_000 : 200_000;
const PEER_MS = QUICK ? 500 : 3000;
const BATCH = 2000;
const suffix = Math.random().toString(16).slice(2, 10);
const schemas = {
  meridian: `bench_outbox_${suffix}`,
  direct: `bench_outbox_direct_${suffix}`,
  naive: `bench_outbox_naive_${suffix}`,
};
const dir = mkdtempSync(join(tmpdir(), 'meridian-bench-drain-'));
const admin = new pg.Client({ connectionString: url });
await admin.connect();

async function meridian(): Promise<number> {
  const outbox = new Outbox({ path: join(dir, 'region.db'), region: 'bench', maxBacklogBytes: 2 ** 40 });
  outbox.start();
  for (let done = 0; done < TOTAL; done += 10_000) {
    await Promise.all(
      Array.from({ length: 10_000 }, (_, i) => outbox.enqueue('clicks', clickPayload(done + i))),
    );
  }
  const home = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      new URL('./home.ts', import.meta.url).pathname,
      JSON.stringify({ url, schema: schemas.meridian }),
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const port = await new Promise<number>((resolve, reject) => {
    createInterface({ input: home.stdout! }).on('line', (l) => {
      if (l.startsWith('listening ')) resolve(Number(l.split(' ')[1]));
    });
    home.on('exit', () => reject(new Error('bench home exited')));
  });
  const transport = new HttpIngestTransport({
    url: `http://127.0.0.1:${port}/v1/ingest`,
    region: 'bench',
    key: deriveSenderKey(BENCH_SECRET, 'region:bench'),
  });
  const flusher = new OutboxFlusher(
    { maxBatchEvents: BATCH, maxBatchBytes: 16 * 1024 * 1024 },
    { outbox, transport },
  );
  const drained = new Promise<void>((resolve) => {
    flusher.on('meridian:outbox:flushed', () => {
      if (outbox.stats().backlogEvents === 0) resolve();
    });
  });
  const started = performance.now();
  flusher.start();
  const keepAlive = setInterval(() => {}, 1000);
  await drained;
  const seconds = (performance.now() - started) / 1000;
  clearInterval(keepAlive);
  await flusher.stop();
  await transport.close();
  await outbox.stop();
  home.kill('SIGTERM');
  const stored = await admin.query(`SELECT count(*)::int AS n FROM "${schemas.meridian}".ingest_events`);
  if (stored.rows[0].n !== TOTAL) throw new Error(`home holds ${stored.rows[0].n} events, expected ${TOTAL}`);
  return TOTAL / seconds;
}

function events(from: number, n: number): IngestEvent[] {
  return Array.from({ length: n }, (_, i) => ({
    key: crypto.randomUUID(),
    topic: 'clicks',
    enqueuedAtMs: Date.now(),
    payload: clickPayload(from + i),
  }));
}

/** Peer 1: the ingest store's batched statement from one client, no HTTP, no outbox. */
async function direct(): Promise<number> {
  const store = new PostgresIngestStore({ connectionString: url!, schema: schemas.direct });
  await store.start();
  const started = performance.now();
  let n = 0;
  while (performance.now() - started < PEER_MS) {
    await store.storeBatch('bench', events(n, BATCH));
    n += BATCH;
  }
  const rate = n / ((performance.now() - started) / 1000);
  await store.stop();
  return rate;
}

/** Peer 2: one INSERT … ON CONFLICT DO NOTHING per event (a naive idempotent ingest). */
async function naive(): Promise<number> {
  await admin.query(`CREATE SCHEMA "${schemas.naive}"`);
  await admin.query(
    `CREATE TABLE "${schemas.naive}".ingest_events (id BIGSERIAL PRIMARY KEY, key TEXT NOT NULL UNIQUE, region TEXT NOT NULL, topic TEXT NOT NULL, payload JSONB NOT NULL, enqueued_at_ms BIGINT NOT NULL, stored_at_ms BIGINT NOT NULL)`,
  );
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const started = performance.now();
  let n = 0;
  while (performance.now() - started < PEER_MS) {
    const [e] = events(n, 1);
    await client.query(
      `INSERT INTO "${schemas.naive}".ingest_events (key, region, topic, payload, enqueued_at_ms, stored_at_ms)
       VALUES ($1, 'bench', $2, $3::jsonb, $4, $5) ON CONFLICT (key) DO NOTHING`,
      [e!.key, e!.topic, JSON.stringify(e!.payload), e!.enqueuedAtMs, Date.now()],
    );
    n++;
  }
  const rate = n / ((performance.now() - started) / 1000);
  await client.end();
  return rate;
}

try {
  const naiveRate = await naive();
  const directRate = await direct();
  const meridianRate = await meridian();
  console.log(`outbox drain into PostgreSQL (${TOTAL} events, batches of ${BATCH}; peers run ${PEER_MS} ms)`);
  for (const [name, rate] of [
    ['naive: one INSERT … ON CONFLICT per event, no HTTP (peer)', naiveRate],
    ['direct: ingest store batch statement, 1 client, no HTTP', directRate],
    ['meridian: outbox → flusher → HTTP → ingest → PostgreSQL', meridianRate],
  ] as const) {
    console.log(
      `  ${name.padEnd(62)} ${Math.round(rate).toString().padStart(9)} events/s  x${(rate / naiveRate).toFixed(1)}`,
    );
  }
} finally {
  for (const s of Object.values(schemas)) await admin.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
  await admin.end();
  rmSync(dir, { recursive: true, force: true });
}
