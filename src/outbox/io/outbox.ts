// The region side of soft writes home: a durable queue in the region's SQLite database (WAL)
// with group commit. `enqueue` never touches the network; the flusher drains the queue.
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { type Clock, MeridianError, systemClock } from '../../core/index.js';
import type { IngestRejection } from '../ingest-wire.js';
import {
  type OutboxSettings,
  type OutboxSettingsInput,
  outboxSettingsSchema,
  parseSettings,
} from '../outbox-config.js';
import { checkName, encodePayload, type OutboxEvent } from '../outbox-event.js';

/** Bytes counted per row on top of key, topic and payload (rowid, timestamp, b-tree cell). */
const ROW_OVERHEAD_BYTES = 32;
const SCHEMA_VERSION = 1;

export interface EnqueueOptions {
  /** Idempotency key; a random UUID when omitted. Re-using a key means "the same event". */
  readonly key?: string;
}

export interface OutboxStats {
  readonly backlogEvents: number;
  /** Logical size of the backlog (what `maxBacklogBytes` caps). */
  readonly backlogBytes: number;
  /** Enqueue time of the oldest unsent event, or null when the backlog is empty. */
  readonly oldestEnqueuedAtMs: number | null;
  readonly deadLetters: number;
}

/** A run of the oldest events, handed to the flusher and acknowledged as a whole. */
export interface OutboxBatch {
  readonly events: readonly OutboxEvent[];
  readonly firstSeq: number;
  readonly lastSeq: number;
  readonly bytes: number;
}

export interface OutboxDeps {
  readonly clock?: Clock;
  /** Where metrics are registered; a fresh Registry when omitted (see `registry`). */
  readonly registry?: Registry;
  /** Generates idempotency keys (default `crypto.randomUUID`). */
  readonly newKey?: () => string;
}

interface Pending {
  readonly key: string;
  readonly topic: string;
  readonly payloadJson: string;
  readonly enqueuedAtMs: number;
  readonly bytes: number;
}

interface Group {
  readonly rows: Pending[];
  bytes: number;
  readonly done: Promise<void>;
  resolve: () => void;
  reject: (err: Error) => void;
}

interface Statements {
  insert: Database.Statement;
  readBatch: Database.Statement;
  deleteRange: Database.Statement;
  deadLetter: Database.Statement;
  oldest: Database.Statement;
  deadCount: Database.Statement;
}

/**
 * A durable outbox. `enqueue` resolves once the event's group commit is on disk (see README,
 * "Durability"); it rejects with a MeridianError when the disk cap is reached, the event is
 * invalid, the commit fails, or the outbox is stopped. Only one process may open a file.
 */
export class Outbox extends EventEmitter {
  readonly settings: OutboxSettings;
  readonly registry: Registry;
  readonly #clock: Clock;
  readonly #newKey: () => string;
  #db: Database.Database | null = null;
  #st: Statements | null = null;
  #writeGroup: ((rows: Pending[]) => void) | null = null;
  #state: 'new' | 'open' | 'stopped' = 'new';
  #groups: Group[] = [];
  #commitScheduled = false;
  #backlogEvents = 0;
  #backlogBytes = 0;
  #pendingBytes = 0;
  readonly #m;

  constructor(settings: OutboxSettingsInput, deps: OutboxDeps = {}) {
    super();
    this.settings = parseSettings('outbox', outboxSettingsSchema, settings);
    this.#clock = deps.clock ?? systemClock;
    this.#newKey = deps.newKey ?? randomUUID;
    this.registry = deps.registry ?? new Registry();
    const registers = [this.registry];
    const self = this;
    this.#m = {
      enqueued: new Counter({
        name: 'meridian_outbox_enqueued_events_total',
        help: 'Events durably committed to the outbox',
        registers,
      }),
      rejected: new Counter({
        name: 'meridian_outbox_rejected_events_total',
        help: 'Enqueues that failed, by reason (full, invalid, commit-failed, stopped)',
        labelNames: ['reason'],
        registers,
      }),
      commitSeconds: new Histogram({
        name: 'meridian_outbox_commit_duration_seconds',
        help: 'Duration of one group-commit transaction (including fsync)',
        buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
        registers,
      }),
      commitEvents: new Histogram({
        name: 'meridian_outbox_commit_size_events',
        help: 'Events written per group-commit transaction',
        buckets: [1, 10, 100, 1000, 10_000, 100_000],
        registers,
      }),
      backlogEvents: new Gauge({
        name: 'meridian_outbox_backlog_events',
        help: 'Events committed but not yet acknowledged by home',
        registers,
        collect() {
          this.set(self.#backlogEvents);
        },
      }),
      backlogBytes: new Gauge({
        name: 'meridian_outbox_backlog_bytes',
        help: 'Logical size of the backlog (what maxBacklogBytes caps)',
        registers,
        collect() {
          this.set(self.#backlogBytes);
        },
      }),
      backlogAge: new Gauge({
        name: 'meridian_outbox_backlog_age_seconds',
        help: 'Age of the oldest unsent event (0 when empty)',
        registers,
        collect() {
          if (self.#state !== 'open') return;
          const oldest = self.stats().oldestEnqueuedAtMs;
          this.set(oldest === null ? 0 : Math.max(0, self.#clock.now() - oldest) / 1000);
        },
      }),
      capacity: new Gauge({
        name: 'meridian_outbox_capacity_bytes',
        help: 'The configured disk cap (maxBacklogBytes)',
        registers,
      }),
      deadLettered: new Counter({
        name: 'meridian_outbox_dead_lettered_events_total',
        help: 'Events home refused for good, moved to the dead-letter table',
        registers,
      }),
    };
    this.#m.capacity.set(this.settings.maxBacklogBytes);
  }

  /** Opens (creating if needed) the database and loads the backlog counters. */
  start(): void {
    if (this.#state !== 'new') throw new MeridianError('MERIDIAN_OUTBOX_STATE', 'outbox already started');
    const path = this.settings.path;
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    let db: Database.Database;
    try {
      db = new Database(path);
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${this.settings.synchronous.toUpperCase()}`);
      db.pragma('journal_size_limit = 67108864');
      db.pragma('busy_timeout = 5000');
      const version = db.pragma('user_version', { simple: true }) as number;
      if (version > SCHEMA_VERSION) {
        throw new Error(`schema version ${version} is newer than this code (${SCHEMA_VERSION})`);
      }
      db.exec(`
        CREATE TABLE IF NOT EXISTS outbox_events (
          seq INTEGER PRIMARY KEY,
          key TEXT NOT NULL,
          topic TEXT NOT NULL,
          payload TEXT NOT NULL,
          enqueued_at_ms INTEGER NOT NULL,
          bytes INTEGER NOT NULL
        );
        CREATE TABLE IF NOT EXISTS outbox_dead_letters (
          seq INTEGER PRIMARY KEY,
          key TEXT NOT NULL,
          topic TEXT NOT NULL,
          payload TEXT NOT NULL,
          enqueued_at_ms INTEGER NOT NULL,
          reason TEXT NOT NULL,
          dead_at_ms INTEGER NOT NULL
        );
        PRAGMA user_version = ${SCHEMA_VERSION};
      `);
    } catch (err) {
      throw new MeridianError(
        'MERIDIAN_OUTBOX_OPEN_FAILED',
        `cannot open the outbox database ${path}: ${(err as Error).message}`,
        { cause: err },
      );
    }
    const st: Statements = {
      insert: db.prepare(
        'INSERT INTO outbox_events (key, topic, payload, enqueued_at_ms, bytes) VALUES (?, ?, ?, ?, ?)',
      ),
      readBatch: db
        .prepare(
          'SELECT seq, key, topic, payload, enqueued_at_ms, bytes FROM outbox_events ORDER BY seq LIMIT ?',
        )
        .raw(),
      deleteRange: db.prepare('DELETE FROM outbox_events WHERE seq BETWEEN ? AND ?'),
      deadLetter: db.prepare(
        `INSERT INTO outbox_dead_letters (key, topic, payload, enqueued_at_ms, reason, dead_at_ms)
         SELECT key, topic, payload, enqueued_at_ms, ?, ? FROM outbox_events
         WHERE key = ? AND seq BETWEEN ? AND ?`,
      ),
      oldest: db.prepare('SELECT enqueued_at_ms FROM outbox_events ORDER BY seq LIMIT 1').pluck(),
      deadCount: db.prepare('SELECT count(*) FROM outbox_dead_letters').pluck(),
    };
    const totals = db
      .prepare('SELECT count(*) AS n, coalesce(sum(bytes), 0) AS b FROM outbox_events')
      .get() as {
      n: number;
      b: number;
    };
    this.#backlogEvents = totals.n;
    this.#backlogBytes = totals.b;
    const insert = st.insert;
    this.#writeGroup = db.transaction((rows: Pending[]) => {
      for (const r of rows) insert.run(r.key, r.topic, r.payloadJson, r.enqueuedAtMs, r.bytes);
    });
    this.#db = db;
    this.#st = st;
    this.#state = 'open';
  }

  /**
   * Appends an event; resolves with its idempotency key once it is durable. No network I/O.
   * Rejects with MERIDIAN_OUTBOX_FULL, _EVENT_INVALID, _COMMIT_FAILED or _STOPPED.
   */
  enqueue(topic: string, payload: unknown, options?: EnqueueOptions): Promise<string> {
    if (this.#state !== 'open') {
      this.#m.rejected.inc({ reason: 'stopped' });
      return Promise.reject(
        new MeridianError(
          'MERIDIAN_OUTBOX_STOPPED',
          `outbox ${this.settings.path} is ${this.#state === 'new' ? 'not started' : 'stopped'}`,
        ),
      );
    }
    const key = options?.key ?? this.#newKey();
    const problem = checkName('topic', topic) ?? (options?.key === undefined ? null : checkName('key', key));
    if (problem) return this.#invalid(problem);
    const encoded = encodePayload(payload, this.settings.maxPayloadBytes);
    if (!encoded.ok) return this.#invalid(encoded.reason);
    const bytes = key.length + topic.length + encoded.bytes + ROW_OVERHEAD_BYTES;
    const cap = this.settings.maxBacklogBytes;
    if (this.#backlogBytes + this.#pendingBytes + bytes > cap) {
      this.#m.rejected.inc({ reason: 'full' });
      this.emit('meridian:outbox:full', { backlogBytes: this.#backlogBytes, maxBacklogBytes: cap });
      return Promise.reject(
        new MeridianError(
          'MERIDIAN_OUTBOX_FULL',
          `outbox ${this.settings.path} is full: ${this.#backlogBytes + this.#pendingBytes} of ` +
            `${cap} bytes (maxBacklogBytes) are waiting for home; the event was not stored. ` +
            'Home has been unreachable for a while: restore the link, or raise maxBacklogBytes.',
        ),
      );
    }
    let group = this.#groups[this.#groups.length - 1];
    if (group === undefined || group.rows.length >= this.settings.maxCommitEvents) {
      group = newGroup();
      this.#groups.push(group);
    }
    group.rows.push({ key, topic, payloadJson: encoded.json, enqueuedAtMs: this.#clock.now(), bytes });
    group.bytes += bytes;
    this.#pendingBytes += bytes;
    if (!this.#commitScheduled) {
      this.#commitScheduled = true;
      setImmediate(this.#commitNext);
    }
    return group.done.then(() => key);
  }

  #invalid(reason: string): Promise<string> {
    this.#m.rejected.inc({ reason: 'invalid' });
    return Promise.reject(new MeridianError('MERIDIAN_OUTBOX_EVENT_INVALID', `cannot enqueue: ${reason}`));
  }

  /** Writes the oldest waiting group in one transaction, then yields before the next. */
  readonly #commitNext = (): void => {
    this.#commitScheduled = false;
    const group = this.#groups.shift();
    if (group === undefined) return;
    if (this.#groups.length > 0) {
      this.#commitScheduled = true;
      setImmediate(this.#commitNext);
    }
    this.#commitGroup(group);
  };

  #commitGroup(group: Group): void {
    const started = performance.now();
    this.#pendingBytes -= group.bytes;
    try {
      this.#writeGroup!(group.rows);
    } catch (err) {
      this.#m.rejected.inc({ reason: 'commit-failed' }, group.rows.length);
      group.reject(
        new MeridianError(
          'MERIDIAN_OUTBOX_COMMIT_FAILED',
          `outbox ${this.settings.path}: writing ${group.rows.length} events failed (${(err as Error).message}); ` +
            'they were not stored',
          { cause: err },
        ),
      );
      return;
    }
    this.#backlogEvents += group.rows.length;
    this.#backlogBytes += group.bytes;
    this.#m.enqueued.inc(group.rows.length);
    this.#m.commitEvents.observe(group.rows.length);
    this.#m.commitSeconds.observe((performance.now() - started) / 1000);
    group.resolve();
    this.emit('meridian:outbox:committed', { events: group.rows.length });
  }

  /** Counters kept in memory plus the oldest event's time (one indexed read). */
  stats(): OutboxStats {
    const st = this.#requireOpen();
    return {
      backlogEvents: this.#backlogEvents,
      backlogBytes: this.#backlogBytes,
      oldestEnqueuedAtMs: (st.oldest.get() as number | undefined) ?? null,
      deadLetters: st.deadCount.get() as number,
    };
  }

  /** For the flusher: the oldest events, at most `maxEvents` and about `maxBytes`; null if empty. */
  readBatch(maxEvents: number, maxBytes: number): OutboxBatch | null {
    const st = this.#requireOpen();
    const rows = st.readBatch.all(maxEvents) as [number, string, string, string, number, number][];
    if (rows.length === 0) return null;
    const events: OutboxEvent[] = [];
    let bytes = 0;
    let lastSeq = rows[0]![0];
    for (const [seq, key, topic, payloadJson, enqueuedAtMs, size] of rows) {
      if (events.length > 0 && bytes + size > maxBytes) break;
      events.push({ key, topic, payloadJson, enqueuedAtMs });
      bytes += size;
      lastSeq = seq;
    }
    return { events, firstSeq: rows[0]![0], lastSeq, bytes };
  }

  /**
   * For the flusher: home has acknowledged `batch`. Deletes it; events home `rejected` for
   * good are first copied to the dead-letter table (never silently dropped).
   */
  acknowledge(batch: OutboxBatch, rejected: readonly IngestRejection[] = []): void {
    const st = this.#requireOpen();
    const now = this.#clock.now();
    const remove = this.#db!.transaction(() => {
      for (const r of rejected) st.deadLetter.run(r.reason, now, r.key, batch.firstSeq, batch.lastSeq);
      return st.deleteRange.run(batch.firstSeq, batch.lastSeq).changes;
    });
    const removed = remove();
    this.#backlogEvents -= removed;
    this.#backlogBytes -= batch.bytes;
    if (rejected.length > 0) {
      this.#m.deadLettered.inc(rejected.length);
      this.emit('meridian:outbox:dead-lettered', { rejected });
    }
  }

  /** Commits what is waiting, then closes the database; later enqueues reject. */
  async stop(): Promise<void> {
    if (this.#state !== 'open') {
      this.#state = 'stopped';
      return;
    }
    while (this.#groups.length > 0) this.#commitGroup(this.#groups.shift()!);
    this.#state = 'stopped';
    this.#db!.close();
    this.#db = null;
    this.#st = null;
  }

  #requireOpen(): Statements {
    if (this.#st === null) throw new MeridianError('MERIDIAN_OUTBOX_STOPPED', 'outbox is not open');
    return this.#st;
  }
}

function newGroup(): Group {
  let resolve!: () => void;
  let reject!: (err: Error) => void;
  const done = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { rows: [], bytes: 0, done, resolve, reject };
}
