// Crash-test region: enqueues events `ev-<i>` (i in [from, to)) in waves and prints
// `A <i> <i> …` once a wave is acknowledged (durable); with `homeUrl` it also flushes and
// prints `S <n>` before each batch is sent and `drained` whenever the backlog is empty.

import { deriveSenderKey } from '../../core/index.js';
import type { IngestTransport } from '../ingest-transport.js';
import { HttpIngestTransport } from '../io/http-ingest-transport.js';
import { Outbox } from '../io/outbox.js';
import { OutboxFlusher } from '../io/outbox-flusher.js';
import { crashPayload } from './crash-payload.js';
import { CRASH_SECRET } from './crash-secret.js';

interface RegionConfig {
  path: string;
  homeUrl?: string;
  from: number;
  to: number;
  wave: number;
  maxBatchEvents?: number;
}

const config = JSON.parse(process.argv[2]!) as RegionConfig;
const outbox = new Outbox({ path: config.path, region: 'crash-region' });
outbox.start();

if (config.homeUrl !== undefined) {
  const http = new HttpIngestTransport({
    url: config.homeUrl,
    region: 'crash-region',
    key: deriveSenderKey(CRASH_SECRET, 'region:crash-region'),
    timeoutMs: 5000,
  });
  const transport: IngestTransport = {
    send(body, events) {
      process.stdout.write(`S ${events}\n`);
      return http.send(body, events);
    },
    close: () => http.close(),
  };
  const flusher = new OutboxFlusher(
    {
      maxBatchEvents: config.maxBatchEvents ?? 500,
      idlePollMs: 50,
      backoff: { baseMs: 20, maxMs: 200 },
      breaker: { failureThreshold: 3, openMs: 200 },
    },
    { outbox, transport },
  );
  flusher.on('meridian:outbox:flushed', () => {
    if (outbox.stats().backlogEvents === 0) process.stdout.write('drained\n');
  });
  flusher.start();
  // The flusher's timers are unref'd (it never holds a process open); a real region has its
  // HTTP server for that, this script a long interval.
  setInterval(() => {}, 1 << 30);
  if (outbox.stats().backlogEvents === 0 && config.from >= config.to) process.stdout.write('drained\n');
}

for (let start = config.from; start < config.to; start += config.wave) {
  const wave: number[] = [];
  for (let i = start; i < Math.min(config.to, start + config.wave); i++) wave.push(i);
  await Promise.all(wave.map((i) => outbox.enqueue('crash', crashPayload(i), { key: `ev-${i}` })));
  process.stdout.write(`A ${wave.join(' ')}\n`);
}
process.stdout.write('enqueued\n');
if (config.homeUrl === undefined) {
  await outbox.stop();
  process.exit(0);
}
