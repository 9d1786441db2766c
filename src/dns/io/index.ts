// Public surface of meridian/dns/io: the UDP and TCP listeners that feed a DnsHandler.
export {
  DEFAULT_TCP_IDLE_MS,
  DEFAULT_TCP_MAX_CONNECTIONS,
  DEFAULT_TCP_MAX_CONNECTIONS_PER_CLIENT,
  DEFAULT_TCP_MESSAGE_TIMEOUT_MS,
  type TcpCloseReason,
  TcpServer,
  type TcpServerOptions,
  type TcpServerStats,
} from './tcp-server.js';
export {
  UDP_IO_MODES,
  type UdpDrops,
  type UdpIo,
  UdpServer,
  type UdpServerOptions,
} from './udp-server.js';
