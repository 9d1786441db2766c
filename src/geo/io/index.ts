// Public surface of meridian/geo/io: the module's adapters (disk, network, timers, processes).
export { loadAwsRttTable } from './load-aws-rtt-table.js';
