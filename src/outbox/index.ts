// Public surface of meridian/outbox: the region's durable outbox and flusher, and home's ingest.
// Adapters (disk, network, timers, processes) are in meridian/outbox/io, so that importing this loads none.
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
export type {
  FlusherSettings,
  FlusherSettingsInput,
  IngestSettings,
  IngestSettingsInput,
  OutboxSettings,
  OutboxSettingsInput,
} from './outbox-config.js';
export { NAME_PATTERN, type OutboxEvent } from './outbox-event.js';
