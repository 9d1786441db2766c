// Durable enqueue/s of the Meridian outbox (group commit, WAL, synchronous=FULL) side by side
// with a naive durable outbox (one transaction per event) on the same disk in the same run.
// Run pinned to one core: `taskset -c 0 tsx bench/outbox/enqueue.ts` (what bench:outbox does).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Outbox } from '../../src/outbox/io/index.js';
import { clickPayload } from './payload.js';

const QUICK = Boolean(process.env.CI);
const TOTAL = QUICK ? 50_000 : 400_000;
const PEER_MS = QUICK ? 500 : 3000;
const dir = mkdtempSync(join(tmpdir(), 'meridian-bench-outbox-'));

/** Enqueues TOTAL events, `concurrency` outstanding per event-loop turn; returns events/s. */
async function meridian(synchronous: 'full' | 'normal', concurrency: number, total = TOTAL): Promise<number> {
  const outbox = new Outbox({
    path: join(dir, `meridian-${synchronous}-${concurrency}.db`),
    region: 'bench',
    synchronous,
    maxBacklogBytes: 2 ** 40,
  });
  outbox.start();
  await outbox.enqueue('warmup', clickPayload(0));
  const started = performance.now();
  for (let done = 0; done < total; done += concurrency) {
    const wave: Promise<string>[] = [];
    for (let i = 0; i < concurrency; i++) wave.push(outbox.enqueue('clicks', clickPayload(done + i)));
    await Promise.all(wave);
  }
  const seconds = (performance.now() - started) / 1000;
  if (outbox.stats().backlogEvents !== total + 1) throw new Error('lost events');
  await outbox.stop();
  return total / seconds;
}

/** The peer: one durable transaction per event (what an outbox without group commit does). */
function naive(): number {
  const db = new Database(join(dir, 'naive.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(
    'CREATE TABLE outbox_events (seq INTEGER PRIMARY KEY, key TEXT NOT NULL, topic TEXT NOT NULL, payload TEXT NOT NULL, enqueued_at_ms INTEGER NOT NULL)',
  );
  const insert = db.prepare(
    'INSERT INTO outbox_events (key, topic, payload, enqueued_at_ms) VALUES (?, ?, ?, ?)',
  );
  const started = performance.now();
  let n = 0;
  while (performance.now() - started < PEER_MS) {
    insert.run(crypto.randomUUID(), 'clicks', JSON.stringify(clickPayload(n)), Date.now());
    n++;
  }
  const rate = n / ((performance.now() - started) / 1000);
  db.close();
  return rate;
}

const rows: [string, number][] = [];
try {
  const peer = naive();
  rows.push(['naive: 1 transaction per event, synchronous=FULL (peer)', peer]);
  const small = TOTAL / 20;
  rows.push([
    'meridian: synchronous=FULL, 1 in flight (no grouping possible)',
    await meridian('full', 1, small),
  ]);
  rows.push(['meridian: group commit, synchronous=FULL, 10 in flight', await meridian('full', 10, small)]);
  rows.push(['meridian: group commit, synchronous=FULL, 100 in flight', await meridian('full', 100)]);
  rows.push(['meridian: group commit, synchronous=FULL, 1000 in flight', await meridian('full', 1000)]);
  rows.push(['meridian: group commit, synchronous=NORMAL, 1000 in flight', await meridian('normal', 1000)]);
  console.log(
    `outbox enqueue (${TOTAL} events of ~150 B per Meridian run, ${TOTAL / 20} at 1 and 10 in flight; peer runs ${PEER_MS} ms)`,
  );
  for (const [name, rate] of rows) {
    console.log(
      `  ${name.padEnd(62)} ${Math.round(rate).toString().padStart(9)} events/s  x${(rate / peer).toFixed(1)}`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
