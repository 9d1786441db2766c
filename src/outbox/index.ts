// Public surface of meridian/outbox: the region's durable outbox and flusher, and home's ingest.
export { type BackoffSettings, backoffDelayMs } from './backoff-delay.js';
export { type BreakerSettings, type BreakerState, CircuitBreaker } from './circuit-breaker.js';
export type {
  EventFilter,
  IngestStore,
  ListOptions,
  StoredEvent,
  StoreResult,
} from './ingest-store.js';
export type { IngestTransport, SendResult } from './ingest-transport.js';
export {
  encodeIngestBatch,
  INGEST_WIRE_VERSION,
  type IngestAck,
  type IngestBatch,
  type IngestEvent,
  type IngestRejection,
  parseIngestAck,
  parseIngestBatch,
} from './ingest-wire.js';
export { HttpIngestTransport, type HttpIngestTransportOptions } from './io/http-ingest-transport.js';
export { type IngestPluginOptions, ingestPlugin } from './io/ingest-plugin.js';
export {
  type EnqueueOptions,
  Outbox,
  type OutboxBatch,
  type OutboxDeps,
  type OutboxStats,
} from './io/outbox.js';
export { OutboxFlusher, type OutboxFlusherDeps } from './io/outbox-flusher.js';
export { PostgresIngestStore, type PostgresIngestStoreOptions } from './io/postgres-ingest-store.js';
export {
  type RequestSignatureHooks,
  type RequestSignatureOptions,
  requestSignatureHooks,
  signedSender,
} from './io/request-signature-hooks.js';
export { SqliteIngestStore, type SqliteIngestStoreOptions } from './io/sqlite-ingest-store.js';
export type {
  FlusherSettings,
  FlusherSettingsInput,
  IngestSettings,
  IngestSettingsInput,
  OutboxSettings,
  OutboxSettingsInput,
} from './outbox-config.js';
export { NAME_PATTERN, type OutboxEvent } from './outbox-event.js';
