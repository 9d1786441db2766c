// The production ingest store: PostgreSQL via pg, one multi-row INSERT … ON CONFLICT DO
// NOTHING per batch (atomic, exactly once by the UNIQUE key).
import pg from 'pg';
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

export interface PostgresIngestStoreOptions {
  /** e.g. `process.env.DATABASE_URL`. */
  readonly connectionString: string;
  /** Schema holding the table (created if missing); default `meridian`. */
  readonly schema?: string;
  /** Table name; default `ingest_events`. */
  readonly table?: string;
  /** Pool size; default 4. */
  readonly maxConnections?: number;
  readonly clock?: Clock;
}

const IDENT = /^[a-z_][a-z0-9_]{0,62}$/;

/** Exactly-once by a UNIQUE key; payloads are stored as jsonb. */
export class PostgresIngestStore implements IngestStore {
  readonly #options: PostgresIngestStoreOptions;
  readonly #clock: Clock;
  readonly #table: string;
  readonly #schema: string;
  #pool: pg.Pool | null = null;

  constructor(options: PostgresIngestStoreOptions) {
    const schema = options.schema ?? 'meridian';
    const table = options.table ?? 'ingest_events';
    for (const [what, name] of [
      ['schema', schema],
      ['table', table],
    ] as const) {
      if (!IDENT.test(name)) {
        throw new MeridianError(
          'MERIDIAN_OUTBOX_CONFIG_INVALID',
          `PostgreSQL ${what} name ${JSON.stringify(name)} must match ${IDENT}`,
        );
      }
    }
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.#schema = schema;
    this.#table = `"${schema}"."${table}"`;
  }

  async start(): Promise<void> {
    const pool = new pg.Pool({
      connectionString: this.#options.connectionString,
      max: this.#options.maxConnections ?? 4,
    });
    // An idle client losing its server must not crash home; the next query reports it.
    pool.on('error', () => {});
    try {
      await pool.query(`CREATE SCHEMA IF NOT EXISTS "${this.#schema}"`);
      await pool.query(`CREATE TABLE IF NOT EXISTS ${this.#table} (
        id BIGSERIAL PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        region TEXT NOT NULL,
        topic TEXT NOT NULL,
        payload JSONB NOT NULL,
        enqueued_at_ms BIGINT NOT NULL,
        stored_at_ms BIGINT NOT NULL
      )`);
    } catch (err) {
      await pool.end();
      throw new MeridianError(
        'MERIDIAN_OUTBOX_INGEST_STORE_FAILED',
        `cannot prepare ${this.#table} in PostgreSQL: ${(err as Error).message}`,
        { cause: err },
      );
    }
    this.#pool = pool;
  }

  async stop(): Promise<void> {
    const pool = this.#pool;
    this.#pool = null;
    await pool?.end();
  }

  async storeBatch(region: string, events: readonly IngestEvent[]): Promise<StoreResult> {
    if (events.length === 0) return { stored: 0, duplicates: 0 };
    const keys = new Array<string>(events.length);
    const topics = new Array<string>(events.length);
    const payloads = new Array<string>(events.length);
    const times = new Array<number>(events.length);
    for (let i = 0; i < events.length; i++) {
      const e = events[i]!;
      keys[i] = e.key;
      topics[i] = e.topic;
      payloads[i] = e.payloadJson ?? JSON.stringify(e.payload);
      times[i] = e.enqueuedAtMs;
    }
    // WITH ORDINALITY keeps ids in batch order.
    const res = await this.#open().query(
      `INSERT INTO ${this.#table} (key, region, topic, payload, enqueued_at_ms, stored_at_ms)
       SELECT k, $1, t, p::jsonb, e, $6
       FROM unnest($2::text[], $3::text[], $4::text[], $5::bigint[]) WITH ORDINALITY AS u(k, t, p, e, n)
       ORDER BY n
       ON CONFLICT (key) DO NOTHING`,
      [region, keys, topics, payloads, times, this.#clock.now()],
    );
    const stored = res.rowCount ?? 0;
    return { stored, duplicates: events.length - stored };
  }

  async count(filter: EventFilter = {}): Promise<number> {
    const { where, params } = eventFilterSql(filter, undefined, (n) => `$${n}`);
    const res = await this.#open().query(`SELECT count(*)::bigint AS n FROM ${this.#table} ${where}`, params);
    return Number(res.rows[0].n);
  }

  async list(options: ListOptions = {}): Promise<StoredEvent[]> {
    const { where, params } = eventFilterSql(options, options.afterId, (n) => `$${n}`);
    params.push(listLimit(options.limit));
    const res = await this.#open().query(
      `SELECT id, key, region, topic, enqueued_at_ms, stored_at_ms, payload FROM ${this.#table} ${where}
       ORDER BY id LIMIT $${params.length}`,
      params,
    );
    return res.rows.map((r) => ({
      id: Number(r.id),
      key: r.key,
      region: r.region,
      topic: r.topic,
      enqueuedAtMs: Number(r.enqueued_at_ms),
      storedAtMs: Number(r.stored_at_ms),
      payload: r.payload as unknown,
    }));
  }

  #open(): pg.Pool {
    if (this.#pool === null) {
      throw new MeridianError('MERIDIAN_OUTBOX_INGEST_STORE_FAILED', 'the ingest store is not started');
    }
    return this.#pool;
  }
}
