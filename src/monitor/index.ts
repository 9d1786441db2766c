// Public surface of meridian/monitor: probes → flap guard → immutable health table.
export { type HealthTable, type RegionHealth, type RegionState, uniformHealthTable } from './health-table.js';
