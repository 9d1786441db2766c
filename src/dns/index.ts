// Public surface of meridian/dns: the wire codec, the answer path and the UDP/TCP listeners.
export { answerQuery, type ClientAddress, respond, TCP_MAX_SIZE, udpLimit } from './answer.js';
export { type DnsCounters, DnsEngine, type DnsEngineOptions } from './dns-engine.js';
export { DECODE_DROP, DECODE_OK, DnsQuery, decodeQuery } from './dns-query.js';
export { DnsSnapshot, type DnsStats, type HostAnswer } from './dns-snapshot.js';
export { compileZone, type DnsZone, encodeName, type RecordSections, type ZoneNode } from './dns-zone.js';
export type { DnsHandler } from './io/dns-handler.js';
export {
  DEFAULT_TCP_IDLE_MS,
  DEFAULT_TCP_MAX_CONNECTIONS,
  DEFAULT_TCP_MAX_CONNECTIONS_PER_CLIENT,
  DEFAULT_TCP_MESSAGE_TIMEOUT_MS,
  type TcpCloseReason,
  TcpServer,
  type TcpServerOptions,
  type TcpServerStats,
} from './io/tcp-server.js';
export {
  UDP_IO_MODES,
  type UdpDrops,
  type UdpIo,
  UdpServer,
  type UdpServerOptions,
} from './io/udp-server.js';
export * as wire from './wire-constants.js';
