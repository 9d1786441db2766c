// How many copies of a fleet's stream the connected NATS deployment can hold.
import type { NatsConnection } from '@nats-io/transport-node';

/**
 * 3 in a cluster of three or more servers (the stream survives one node down), as many as
 * there are servers in a smaller cluster, 1 on a single server. The server count is what the
 * server told the client (`connect_urls`: every server's client URL, itself included).
 */
export function replicasFor(nc: NatsConnection): number {
  const info = nc.info;
  if (!info?.cluster) return 1;
  const servers = new Set(info.connect_urls ?? []).size;
  return Math.max(1, Math.min(3, servers || 1));
}
