// Benchmark home: the ingest plugin over PostgreSQL in its own process. Prints `listening <port>`.
import Fastify from 'fastify';
import { ingestPlugin, PostgresIngestStore } from '../../src/outbox/index.js';

const { url, schema } = JSON.parse(process.argv[2]!) as { url: string; schema: string };
const store = new PostgresIngestStore({ connectionString: url, schema });
await store.start();
const app = Fastify();
await app.register(ingestPlugin, { store });
await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`listening ${(app.server.address() as { port: number }).port}\n`);
process.on('SIGTERM', async () => {
  await app.close();
  await store.stop();
  process.exit(0);
});
