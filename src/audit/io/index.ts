// Public surface of meridian/audit/io: the module's adapters (disk, network, timers, processes).
export { fetchStatus } from './fetch-status.js';
export { type ObserveOptions, observeTargets } from './observe-targets.js';
