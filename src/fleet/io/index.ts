// Public surface of meridian/fleet/io: the NATS side of the fleet — the connection, the stream,
// a vantage's prober, the health consumer, and a loopback NATS cluster for the lab and tests.
export { ensureHealthStream } from './ensure-health-stream.js';
export {
  type FailStaticEvent,
  FLEET_EVENTS,
  type FleetConsumerStatus,
  FleetHealthConsumer,
  type FleetHealthConsumerOptions,
} from './fleet-health-consumer.js';
export {
  findNatsServer,
  type NatsCluster,
  type NatsClusterOptions,
  type NatsNode,
  startNatsCluster,
} from './nats-cluster.js';
export { NATS_LINK_EVENT, NatsLink, type NatsLinkEvent, type NatsLinkOptions } from './nats-link.js';
export { replicasFor } from './replicas-for.js';
export {
  PROBER_EVENTS,
  type ProberStats,
  VantageProber,
  type VantageProberOptions,
} from './vantage-prober.js';
