// The embedded default ingest store: one SQLite file at home (WAL, synchronous=FULL).
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { type Clock, MeridianError, systemClock } from '../../core/index.js';
import { eventFilterSql } from '../event-filter-sql.js';
import {
  type EventFilter,
  type IngestStore,
  type ListOptions,
  listLimit,
  type StoredEvent,
  type StoreResult,
} from '../ingest-store.js';
import type { IngestEvent } from '../ingest-wire.js';

export interface SqliteIngestStoreOptions {
  /** Database file (`:memory:` for tests). */
  readonly path: string;
  readonly clock?: Clock;
}

type Row = [number, string, string, string, number, number, string];

/** Exactly-once by a UNIQUE key and INSERT OR IGNORE, one transaction per batch. */
export class SqliteIngestStore implements IngestStore {
  readonly #options: SqliteIngestStoreOptions;
  readonly #clock: Clock;
  #db: Database.Database | null = null;
  #insertBatch: ((region: string, events: readonly IngestEvent[], now: number) => number) | null = null;

  constructor(options: SqliteIngestStoreOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
  }

  async start(): Promise<void> {
    const { path } = this.#options;
    try {
      if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
      const db = new Database(path);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.pragma('busy_timeout = 5000');
      db.exec(`CREATE TABLE IF NOT EXISTS ingest_events (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        region TEXT NOT NULL,
        topic TEXT NOT NULL,
        payload TEXT NOT NULL,
        enqueued_at_ms INTEGER NOT NULL,
        stored_at_ms INTEGER NOT NULL
      )`);
      const insert = db.prepare(
        `INSERT OR IGNORE INTO ingest_events (key, region, topic, payload, enqueued_at_ms, stored_at_ms)
         VALUES (?, ?, ?, ?, ?, ?)`,
      );
      this.#insertBatch = db.transaction((region: string, events: readonly IngestEvent[], now: number) => {
        let stored = 0;
        for (const e of events) {
          stored += insert.run(
            e.key,
            region,
            e.topic,
            e.payloadJson ?? JSON.stringify(e.payload),
            e.enqueuedAtMs,
            now,
          ).changes;
        }
        return stored;
      });
      this.#db = db;
    } catch (err) {
      throw new MeridianError(
        'MERIDIAN_OUTBOX_INGEST_STORE_FAILED',
        `cannot open the ingest database ${path}: ${(err as Error).message}`,
        { cause: err },
      );
    }
  }

  async stop(): Promise<void> {
    this.#db?.close();
    this.#db = null;
    this.#insertBatch = null;
  }

  async storeBatch(region: string, events: readonly IngestEvent[]): Promise<StoreResult> {
    if (this.#insertBatch === null) throw notStarted();
    const stored = this.#insertBatch(region, events, this.#clock.now());
    return { stored, duplicates: events.length - stored };
  }

  async count(filter: EventFilter = {}): Promise<number> {
    const { where, params } = eventFilterSql(filter, undefined, () => '?');
    return this.#open()
      .prepare(`SELECT count(*) FROM ingest_events ${where}`)
      .pluck()
      .get(...params) as number;
  }

  async list(options: ListOptions = {}): Promise<StoredEvent[]> {
    const { where, params } = eventFilterSql(options, options.afterId, () => '?');
    const rows = this.#open()
      .prepare(
        `SELECT id, key, region, topic, enqueued_at_ms, stored_at_ms, payload FROM ingest_events ${where}
         ORDER BY id LIMIT ?`,
      )
      .raw()
      .all(...params, listLimit(options.limit)) as Row[];
    return rows.map(([id, key, region, topic, enqueuedAtMs, storedAtMs, payload]) => ({
      id,
      key,
      region,
      topic,
      enqueuedAtMs,
      storedAtMs,
      payload: JSON.parse(payload) as unknown,
    }));
  }

  #open(): Database.Database {
    if (this.#db === null) throw notStarted();
    return this.#db;
  }
}

function notStarted(): MeridianError {
  return new MeridianError('MERIDIAN_OUTBOX_INGEST_STORE_FAILED', 'the ingest store is not started');
}
