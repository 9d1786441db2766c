// Public surface of meridian/geo: where places are and how far apart they are in milliseconds.
export { type CloudRegion, findCloudRegion, listCloudRegions } from './cloud-regions.js';
export { type Coordinates, greatCircleKm } from './coordinates.js';
export {
  DEFAULT_BASE_RTT_MS,
  DEFAULT_ROUTE_INFLATION,
  estimateRttMs,
  FIBRE_KM_PER_MS,
} from './estimate-rtt.js';
export { loadAwsRttTable } from './io/load-aws-rtt-table.js';
export { parseRttCsv, type RttTable } from './rtt-table.js';
