// Public surface of meridian/monitor/io: the probes that open connections (HTTP(S), TCP).
export { HealthCheckProbe } from './health-check-probe.js';
export { HttpProbe } from './http-probe.js';
export { TcpProbe } from './tcp-probe.js';
