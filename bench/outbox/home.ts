// Benchmark home: the ingest plugin over PostgreSQL in its own process. Prints `listening <port>`.
import Fastify from 'fastify';
import { deriveSenderKey } from '../../src/core/index.js';
import { ingestPlugin, PostgresIngestStore } from '../../src/outbox/io/index.js';
import { BENCH_SECRET } from './bench-secret.js';

const { url, schema } = JSON.parse(process.argv[2]!) as { url: string; schema: string };
const store = new PostgresIngestStore({ connectionString: url, schema });
await store.start();
const app = Fastify();
// The drain sends batches of up to 16 MiB: allow them (the default limit is 8 MiB).
await app.register(ingestPlugin, {
  store,
  senderKey: (sender) => deriveSenderKey(BENCH_SECRET, sender),
  bodyLimitBytes: 32 * 1024 * 1024,
});
await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`listening ${(app.server.address() as { port: number }).port}\n`);
process.on('SIGTERM', async () => {
  await app.close();
  await store.stop();
  process.exit(0);
});
