// Wires a ConnectionTable to a Node HTTP server: every accepted connection is counted per client
// and in all; one past its client's cap is closed at once, and at the global cap the table's
// victim is closed to make room. Counts refusals and evictions.
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { Counter, Gauge, type Registry } from 'prom-client';
import { type ConnectionCaps, ConnectionTable } from '../connection-table.js';

export interface ConnectionLimitOptions {
  /** Where the metrics go (default: not exported). */
  readonly registry?: Registry | undefined;
  /** The `server` label of the metrics. */
  readonly name: string;
}

/** Starts limiting `server`'s connections; returns the table (for tests and metrics). */
export function limitConnections(
  server: Server,
  caps: ConnectionCaps,
  options: ConnectionLimitOptions,
): ConnectionTable<Socket> {
  const table = new ConnectionTable<Socket>(caps);
  const registers = options.registry ? [options.registry] : [];
  const refused = metric(
    options.registry,
    'meridian_http_connections_refused_total',
    () =>
      new Counter({
        name: 'meridian_http_connections_refused_total',
        help: 'Connections closed on arrival because their client already held its share',
        labelNames: ['server', 'reason'] as const,
        registers,
      }),
  );
  const evicted = metric(
    options.registry,
    'meridian_http_connections_evicted_total',
    () =>
      new Counter({
        name: 'meridian_http_connections_evicted_total',
        help: 'Connections closed to make room for a newcomer at the connection cap (oldest without a request first)',
        labelNames: ['server'] as const,
        registers,
      }),
  );
  const open = metric(
    options.registry,
    'meridian_http_connections_open',
    () =>
      new Gauge({
        name: 'meridian_http_connections_open',
        help: 'Open HTTP connections',
        labelNames: ['server'] as const,
        registers,
      }),
  );
  const name = options.name;
  server.on('connection', (socket: Socket) => {
    const admission = table.open(socket, socket.remoteAddress);
    if (!admission.admitted) {
      refused.inc({ server: name, reason: admission.reason });
      socket.destroy();
      return;
    }
    open.inc({ server: name });
    socket.once('close', () => {
      table.close(socket);
      open.dec({ server: name });
    });
    if (admission.evict) {
      evicted.inc({ server: name });
      admission.evict.destroy();
    }
  });
  server.on('request', (request, response) => {
    const socket = request.socket;
    table.busy(socket, true);
    response.once('close', () => table.busy(socket, false));
  });
  return table;
}

/** The metric already in `registry` under `name` (a second server on one registry), or a new one. */
function metric<M>(registry: Registry | undefined, name: string, create: () => M): M {
  return (registry?.getSingleMetric(name) as M | undefined) ?? create();
}
