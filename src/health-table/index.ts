// Public surface of meridian/health-table: the health vocabulary every health source publishes
// and steering reads (pure, below monitor, fleet, policy and dns).
export { type DetectionSettings, deadRegionAnsweredMs, detectionWindowMs } from './detection-window.js';
export type { HealthSource } from './health-source.js';
export { type HealthTable, type RegionHealth, type RegionState, uniformHealthTable } from './health-table.js';
export { tableMatchesWorld } from './table-matches-world.js';
