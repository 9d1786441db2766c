// Public surface of meridian/outbox/io: the module's adapters (disk, network, timers, processes).
export { HttpIngestTransport, type HttpIngestTransportOptions } from './http-ingest-transport.js';
export { type IngestPluginOptions, ingestPlugin } from './ingest-plugin.js';
export {
  type EnqueueOptions,
  Outbox,
  type OutboxBatch,
  type OutboxDeps,
  type OutboxStats,
} from './outbox.js';
export { OutboxFlusher, type OutboxFlusherDeps } from './outbox-flusher.js';
export { PostgresIngestStore, type PostgresIngestStoreOptions } from './postgres-ingest-store.js';
export {
  type RequestSignatureHooks,
  type RequestSignatureOptions,
  requestSignatureHooks,
  signedSender,
} from './request-signature-hooks.js';
export { SqliteIngestStore, type SqliteIngestStoreOptions } from './sqlite-ingest-store.js';
