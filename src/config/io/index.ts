// Public surface of meridian/config/io: the module's adapters (disk, network, timers, processes).
export { directoryEscrowStore } from './directory-escrow-store.js';
export { diskLastGood } from './disk-last-good.js';
export { type HttpSourceOptions, httpSource } from './http-source.js';
export {
  configPublisherRoutes,
  type PublisherRoutesOptions,
  type PublisherServer,
  startPublisherServer,
} from './publisher-routes.js';
export { RedisSnapshotCache, type RedisSnapshotCacheOptions } from './redis-snapshot-cache.js';
export { type S3EscrowOptions, s3EscrowStore } from './s3-escrow-store.js';
