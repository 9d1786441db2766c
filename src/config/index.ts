// Public surface of meridian/config: signed, versioned config snapshots, polled by regions.
// Adapters (disk, network, timers, processes) are in meridian/config/io, so that importing this loads none.
export {
  ConfigCache,
  type ConfigCacheOptions,
  type ConfigEvents,
  LAST_GOOD_SOURCE,
  type OlderStreak,
  type PollOutcome,
} from './config-cache.js';
export { type ConfigMetrics, configMetrics } from './config-metrics.js';
export {
  ConfigPublisher,
  type ConfigPublisherOptions,
  type PublishedEnvelope,
  type PublishOptions,
} from './config-publisher.js';
export type { ConfigSource, FetchRequest, SourceFetch } from './config-source.js';
export {
  type DataSchema,
  type DataValidator,
  type SafeParseSchema,
  toDataValidator,
  type Validation,
} from './data-validator.js';
export { type EscrowPointer, parsePointer, pointerKey, snapshotKey } from './escrow-layout.js';
export { escrowSource } from './escrow-source.js';
export type { EscrowStore, GetOptions, StoredObject } from './escrow-store.js';
export type { LastGoodCopy, LastGoodStore } from './last-good-store.js';
export { signSnapshot } from './sign-snapshot.js';
export { generateSigningKeys, type KeyInput, toPrivateKey, toPublicKey } from './signing-keys.js';
export { type ConfigSnapshot, ENVELOPE_FORMAT, type SnapshotEnvelope } from './snapshot.js';
export {
  type RejectReason,
  type VerifyOptions,
  type VerifyResult,
  verifySnapshot,
} from './verify-snapshot.js';
export type { VersionCounter } from './version-counter.js';
