// Crash-test home: the ingest plugin over SQLite or PostgreSQL. Prints `listening <port>`,
// then `C <stored> <duplicates>` after each committed batch. With `pauseAfterCommits: n`,
// the first n batches wait `pauseMs` between commit and reply: the window to kill it in.
import Fastify from 'fastify';
import { deriveSenderKey } from '../../core/index.js';
import type { IngestStore } from '../ingest-store.js';
import { ingestPlugin } from '../io/ingest-plugin.js';
import { PostgresIngestStore } from '../io/postgres-ingest-store.js';
import { SqliteIngestStore } from '../io/sqlite-ingest-store.js';
import { CRASH_SECRET } from './crash-secret.js';

interface HomeConfig {
  store: { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string; schema: string };
  port: number;
  pauseAfterCommits?: number;
  pauseMs?: number;
}

const config = JSON.parse(process.argv[2]!) as HomeConfig;
const inner: IngestStore =
  config.store.kind === 'sqlite'
    ? new SqliteIngestStore({ path: config.store.path })
    : new PostgresIngestStore({ connectionString: config.store.url, schema: config.store.schema });
let pauses = config.pauseAfterCommits ?? 0;
const store: IngestStore = {
  start: () => inner.start(),
  stop: () => inner.stop(),
  count: (f) => inner.count(f),
  list: (o) => inner.list(o),
  async storeBatch(region, events) {
    const result = await inner.storeBatch(region, events);
    process.stdout.write(`C ${result.stored} ${result.duplicates}\n`);
    if (pauses > 0) {
      pauses--;
      await new Promise((r) => setTimeout(r, config.pauseMs ?? 2000));
    }
    return result;
  },
};
await store.start();
const app = Fastify();
await app.register(ingestPlugin, { store, senderKey: (sender) => deriveSenderKey(CRASH_SECRET, sender) });
await app.listen({ host: '127.0.0.1', port: config.port });
process.stdout.write(`listening ${(app.server.address() as { port: number }).port}\n`);
