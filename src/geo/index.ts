// Public surface of meridian/geo: where places are and how far apart they are in milliseconds.
// Adapters (disk, network, timers, processes) are in meridian/geo/io, so that importing this loads none.
export { type CloudRegion, findCloudRegion, listCloudRegions } from './cloud-regions.js';
export { type Coordinates, greatCircleKm } from './coordinates.js';
export {
  DEFAULT_BASE_RTT_MS,
  DEFAULT_ROUTE_INFLATION,
  estimateRttMs,
  FIBRE_KM_PER_MS,
} from './estimate-rtt.js';
export { parseRttCsv, type RttTable } from './rtt-table.js';
