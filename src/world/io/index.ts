// Public surface of meridian/world/io: the module's adapters (disk, network, timers, processes).
export { invalidWorld, type LoadWorldOptions, lintWorldFile, loadWorld } from './load-world.js';
export {
  lintWorldFileInWorker,
  loadWorldInWorker,
  type WorkerLoadOptions,
} from './load-world-in-worker.js';
export {
  DEFAULT_WORLD_MAX_BYTES,
  type ReadWorldFileOptions,
  readWorldFile,
  worldMaxBytes,
} from './read-world-file.js';
