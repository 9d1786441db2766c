// Folds events stored by ingest into the workload's tables (its soft writes' ingest handlers),
// exactly once: the cursor (the last ingest row id folded) moves in the same transaction as
// what the handlers wrote.
import type { HomeDatabase } from '../workload/index.js';

/** Folds one stored event inside the projection's transaction (unknown types: ignore them). */
export type FoldEvent = (
  tx: Pick<HomeDatabase, 'query' | 'dialect'>,
  event: { readonly topic: string; readonly payload: unknown },
) => Promise<void>;

/** The part of the outbox's IngestStore the projector reads. */
export interface IngestLog {
  list(options: {
    afterId?: number;
    limit?: number;
  }): Promise<readonly { id: number; topic: string; payload: unknown; storedAtMs: number }[]>;
}

export interface StatsProjectorOptions {
  /**
   * Only events stored at least this long ago are folded, so an ingest transaction that took
   * an id earlier but commits later is not skipped (PostgreSQL; SQLite commits in id order: 0).
   */
  readonly settleMs?: number;
  readonly now?: () => number;
  /** What each event becomes (default: nothing, the cursor only moves). */
  readonly fold?: FoldEvent;
}

const CURSOR = 'ingest';

export class StatsProjector {
  readonly #db: HomeDatabase;
  readonly #log: IngestLog;
  readonly #settleMs: number;
  readonly #now: () => number;
  readonly #fold: FoldEvent;
  #running: Promise<number> | undefined;

  constructor(db: HomeDatabase, log: IngestLog, options: StatsProjectorOptions = {}) {
    this.#db = db;
    this.#log = log;
    this.#settleMs = options.settleMs ?? 0;
    this.#now = options.now ?? Date.now;
    this.#fold = options.fold ?? (async () => undefined);
  }

  /** Folds every event stored since the last call; returns how many. Concurrent calls share one run. */
  catchUp(maxEvents = 1_000_000): Promise<number> {
    this.#running ??= this.#run(maxEvents).finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #run(maxEvents: number): Promise<number> {
    let folded = 0;
    while (folded < maxEvents) {
      const [row] = await this.#db.query('SELECT last_id FROM stats_cursor WHERE name = $1', [CURSOR]);
      const afterId = Number(row?.last_id ?? 0);
      const horizon = this.#now() - this.#settleMs;
      const listed = await this.#log.list({ afterId, limit: 1000 });
      const settled = listed.findIndex((e) => e.storedAtMs > horizon);
      const events = settled === -1 || this.#settleMs === 0 ? listed : listed.slice(0, settled);
      if (events.length === 0) break;
      await this.#db.transaction(async (tx) => {
        for (const e of events) await this.#fold(tx, e);
        const lastId = events[events.length - 1]!.id;
        await tx.query(
          'INSERT INTO stats_cursor (name, last_id) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET last_id = excluded.last_id',
          [CURSOR, lastId],
        );
      });
      folded += events.length;
    }
    return folded;
  }
}
