// Home's side of exactly-once: where ingested events live. Every store keeps at most one
// event per idempotency key; SQLite and PostgreSQL pass the same contract suite.
import type { IngestEvent } from './ingest-wire.js';

/** An event as stored at home. */
export interface StoredEvent {
  /** Position in the store, increasing in insertion order (page with `afterId`). */
  readonly id: number;
  readonly key: string;
  readonly region: string;
  readonly topic: string;
  readonly enqueuedAtMs: number;
  readonly storedAtMs: number;
  readonly payload: unknown;
}

export interface StoreResult {
  /** Events newly stored. */
  readonly stored: number;
  /** Events whose key was already stored (the first copy wins, content is not compared). */
  readonly duplicates: number;
}

export interface EventFilter {
  readonly topic?: string;
  readonly region?: string;
}

export interface ListOptions extends EventFilter {
  /** Only events with `id > afterId`. */
  readonly afterId?: number;
  /** At most this many (default 100, max 10 000). */
  readonly limit?: number;
}

export interface IngestStore {
  /** Connects and creates the table if needed. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Stores a batch atomically: after it resolves, all of it is durable; if it throws, none. */
  storeBatch(region: string, events: readonly IngestEvent[]): Promise<StoreResult>;
  count(filter?: EventFilter): Promise<number>;
  list(options?: ListOptions): Promise<StoredEvent[]>;
}

/** Clamps a list limit to 1..10 000 (default 100). */
export function listLimit(limit: number | undefined): number {
  return Math.min(10_000, Math.max(1, Math.floor(limit ?? 100)));
}
