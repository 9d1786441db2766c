// Public surface of meridian/dns: the wire codec, the zone and the answer path (no sockets: the
// UDP/TCP listeners are meridian/dns/io).
export { answerQuery, type ClientAddress, respond, TCP_MAX_SIZE, udpLimit } from './answer.js';
export {
  DecisionHistory,
  type DecisionInfo,
  DecisionLog,
  type DecisionRecord,
  reasonCode,
} from './decision-log.js';
export { type DnsCounters, DnsEngine, type DnsEngineOptions } from './dns-engine.js';
export type { DnsHandler } from './dns-handler.js';
export { DECODE_DROP, DECODE_OK, DnsQuery, decodeQuery } from './dns-query.js';
export { DnsSnapshot, type DnsStats, type HostAnswer } from './dns-snapshot.js';
export { compileZone, type DnsZone, encodeName, type RecordSections, type ZoneNode } from './dns-zone.js';
export { bucketText, type SubnetBucketCount, SubnetTopK } from './subnet-top-k.js';
export * as wire from './wire-constants.js';
