// Public surface of meridian/health/io: the module's adapters (disk, network, timers, processes).
export { type HealthRoutesOptions, healthRoutes } from './health-routes.js';
export {
  installSignalDrain,
  type SignalDrain,
  type SignalDrainOptions,
  type SignalSource,
} from './install-signal-drain.js';
