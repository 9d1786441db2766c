// Crash tests with real processes: kill -9 the region while it enqueues and while it flushes,
// and home while it ingests; after restarts every acknowledged enqueue is stored at home
// exactly once, with its content. Runs against a SQLite home and a PostgreSQL home.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IngestStore, StoredEvent } from '../ingest-store.js';
import { type ChildNode, spawnNode } from '../test-support/child-node.js';
import { crashPayload } from '../test-support/crash-payload.js';
import { dropSchema, requireDatabaseUrl, uniqueSchemaName } from '../test-support/postgres-test-schema.js';
import { PostgresIngestStore } from './postgres-ingest-store.js';
import { SqliteIngestStore } from './sqlite-ingest-store.js';

const HOME = new URL('../test-support/crash-home.ts', import.meta.url).pathname;
const REGION = new URL('../test-support/crash-region.ts', import.meta.url).pathname;
const CI = Boolean(process.env.CI);
const N = CI ? 4000 : 12_000;
const LINE_TIMEOUT_MS = 60_000;

type StoreConfig = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string; schema: string };

/** Every `A …` line of a region's output: the indexes whose enqueue was acknowledged. */
function acked(child: ChildNode): Set<number> {
  const out = new Set<number>();
  for (const line of child.lines) {
    if (!line.startsWith('A ')) continue;
    for (const i of line.slice(2).split(' ')) out.add(Number(i));
  }
  return out;
}

/** Sum of duplicates home reported (`C <stored> <duplicates>` lines). */
function duplicatesSeen(...homes: ChildNode[]): number {
  let n = 0;
  for (const h of homes) for (const l of h.lines) if (l.startsWith('C ')) n += Number(l.split(' ')[2]);
  return n;
}

async function listAll(store: IngestStore): Promise<StoredEvent[]> {
  const all: StoredEvent[] = [];
  for (let page = await store.list({ limit: 10_000 }); page.length > 0; ) {
    all.push(...page);
    page = await store.list({ limit: 10_000, afterId: page.at(-1)!.id });
  }
  return all;
}

for (const kind of ['sqlite', 'postgres'] as const) {
  describe(`crash: region and home killed with SIGKILL (${kind} home)`, () => {
    let dir: string;
    let storeConfig: StoreConfig;
    const children: ChildNode[] = [];

    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'meridian-outbox-crash-'));
      storeConfig =
        kind === 'sqlite'
          ? { kind, path: join(dir, 'home.db') }
          : { kind, url: requireDatabaseUrl(), schema: uniqueSchemaName() };
    });

    afterEach(async () => {
      await Promise.all(children.splice(0).map((c) => c.kill9()));
      if (storeConfig.kind === 'postgres') await dropSchema(storeConfig.url, storeConfig.schema);
      rmSync(dir, { recursive: true, force: true });
    });

    const start = (script: string, config: unknown) => {
      const child = spawnNode(script, config);
      children.push(child);
      return child;
    };

    async function startHome(port: number, extra: object = {}): Promise<{ home: ChildNode; port: number }> {
      const home = start(HOME, { store: storeConfig, port, ...extra });
      const line = await home.waitForLine((l) => l.startsWith('listening '), LINE_TIMEOUT_MS);
      return { home, port: Number(line.split(' ')[1]) };
    }

    /** Fills the region outbox with events [0, n) with no home at all; returns the acked set. */
    async function prefill(path: string, n: number): Promise<Set<number>> {
      const region = start(REGION, { path, from: 0, to: n, wave: 500 });
      expect(await region.exited).toBe(0);
      return acked(region);
    }

    /** Checks home holds every acked event exactly once with its content; returns the count. */
    async function verifyHome(ack: Set<number>, attempted: number): Promise<number> {
      const store =
        storeConfig.kind === 'sqlite'
          ? new SqliteIngestStore({ path: storeConfig.path })
          : new PostgresIngestStore({ connectionString: storeConfig.url, schema: storeConfig.schema });
      await store.start();
      try {
        const all = await listAll(store);
        expect(await store.count()).toBe(all.length);
        const seen = new Set<number>();
        const wrong: string[] = [];
        for (const e of all) {
          const i = Number(e.key.slice(3));
          if (!e.key.startsWith('ev-') || !(i >= 0 && i < attempted)) wrong.push(`unexpected key ${e.key}`);
          else if (seen.has(i)) wrong.push(`stored twice: ${e.key}`);
          else if (JSON.stringify(e.payload) !== JSON.stringify(crashPayload(i)))
            wrong.push(`content of ${e.key}`);
          else if (e.topic !== 'crash' || e.region !== 'crash-region') wrong.push(`topic/region of ${e.key}`);
          seen.add(i);
        }
        const missing = [...ack].filter((i) => !seen.has(i));
        expect(wrong.slice(0, 5)).toEqual([]);
        expect(missing.slice(0, 5)).toEqual([]);
        return all.length;
      } finally {
        await store.stop();
      }
    }

    it('kill -9 the region while it enqueues (and flushes): nothing acknowledged is lost', async () => {
      const { port } = await startHome(0);
      const path = join(dir, 'region.db');
      const homeUrl = `http://127.0.0.1:${port}/v1/ingest`;
      // Far more than it gets through before the kill, so the kill lands mid-enqueue.
      const attempted = 1_000_000;
      const region = start(REGION, { path, homeUrl, from: 0, to: attempted, wave: 10 });
      await region.waitForLine(() => acked(region).size >= N / 2, LINE_TIMEOUT_MS);
      await region.kill9();
      const ack = acked(region);
      expect(region.lines).not.toContain('enqueued'); // it really died mid-way

      const restarted = start(REGION, { path, homeUrl, from: 0, to: 0, wave: 10 });
      await restarted.waitForLine((l) => l === 'drained', LINE_TIMEOUT_MS);
      const stored = await verifyHome(ack, attempted);
      expect(stored).toBeGreaterThanOrEqual(ack.size);
    });

    it('kill -9 the region with a batch in flight: the resent batch is stored once', async () => {
      const path = join(dir, 'region.db');
      const ack = await prefill(path, N);
      expect(ack.size).toBe(N);
      // Home commits the first batch, then holds its reply while the region is killed.
      const { home, port } = await startHome(0, { pauseAfterCommits: 1, pauseMs: 30_000 });
      const homeUrl = `http://127.0.0.1:${port}/v1/ingest`;
      const region = start(REGION, { path, homeUrl, from: 0, to: 0, wave: 10 });
      await home.waitForLine((l) => l.startsWith('C '), LINE_TIMEOUT_MS);
      await region.kill9();

      const restarted = start(REGION, { path, homeUrl, from: 0, to: 0, wave: 10 });
      await restarted.waitForLine((l) => l === 'drained', LINE_TIMEOUT_MS);
      expect(duplicatesSeen(home)).toBeGreaterThan(0); // the batch went twice
      expect(await verifyHome(ack, N)).toBe(N);
    });

    it('kill -9 home during ingest: the region retries and home stores everything once', async () => {
      const path = join(dir, 'region.db');
      const ack = await prefill(path, N);
      const first = await startHome(0, { pauseAfterCommits: 1, pauseMs: 30_000 });
      const homeUrl = `http://127.0.0.1:${first.port}/v1/ingest`;
      const region = start(REGION, { path, homeUrl, from: 0, to: 0, wave: 10, maxBatchEvents: 700 });
      await first.home.waitForLine((l) => l.startsWith('C '), LINE_TIMEOUT_MS);
      await first.home.kill9(); // committed, never acknowledged

      const second = await startHome(first.port);
      await region.waitForLine((l) => l === 'drained', LINE_TIMEOUT_MS);
      expect(duplicatesSeen(second.home)).toBeGreaterThan(0);
      expect(await verifyHome(ack, N)).toBe(N);
    });
  });
}
