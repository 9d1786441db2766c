// Prometheus metrics of `meridian dns`, read from the engine's counters at scrape time (the
// query path only bumps typed arrays).
import { Counter, Gauge, type Registry } from 'prom-client';
import type { DnsEngine } from '../dns/index.js';
import type { TcpServerStats, UdpDrops } from '../dns/io/index.js';

/** What the listeners report, read at scrape time (null before start). */
export interface ListenerStats {
  udp(): UdpDrops | null;
  tcp(): TcpServerStats | null;
}

const TCP_CLOSE_REASONS = {
  perClientLimit: 'per_client_limit',
  evicted: 'evicted',
  idleTimeout: 'idle_timeout',
  messageTimeout: 'message_timeout',
  writeTimeout: 'write_timeout',
  notDns: 'not_dns',
} as const;

export class GslbMetrics {
  readonly reloads: Counter<'result'>;

  constructor(
    registry: Registry,
    engine: () => DnsEngine,
    healthVersion: () => number,
    listeners: ListenerStats,
  ) {
    const registers = [registry];
    new Counter({
      name: 'meridian_dns_queries_total',
      help: 'DNS responses sent, by RCODE',
      labelNames: ['rcode'],
      registers,
      collect() {
        this.reset();
        for (const [rcode, n] of Object.entries(engine().counters().rcodes)) this.inc({ rcode }, n);
      },
    });
    new Counter({
      name: 'meridian_dns_answers_total',
      help: 'policy answers by hostname and the region answered first',
      labelNames: ['hostname', 'region'],
      registers,
      collect() {
        this.reset();
        for (const [hostname, m] of Object.entries(engine().counters().chosen)) {
          for (const [region, n] of Object.entries(m)) this.inc({ hostname, region }, n);
        }
      },
    });
    new Counter({
      name: 'meridian_dns_decisions_total',
      help: 'answers by hostname, first region answered and reason code (decision log; an answer counts once per code it carries; no client labels)',
      labelNames: ['hostname', 'region', 'reason'],
      registers,
      collect() {
        this.reset();
        for (const [k, n] of engine().decisionsByReason()) {
          const [hostname = '', region = '', reason = ''] = k.split('\n');
          this.inc({ hostname, region, reason }, n);
        }
      },
    });
    new Counter({
      name: 'meridian_dns_all_down_total',
      help: 'answers chosen by whenAllDown because no candidate was serving',
      labelNames: ['hostname'],
      registers,
      collect() {
        this.reset();
        for (const [hostname, n] of Object.entries(engine().counters().allDown)) this.inc({ hostname }, n);
      },
    });
    new Counter({
      name: 'meridian_dns_truncated_total',
      help: 'UDP responses sent with TC because they exceeded the client size',
      registers,
      collect() {
        this.reset();
        this.inc(engine().counters().truncated);
      },
    });
    new Counter({
      name: 'meridian_dns_errors_total',
      help: 'queries dropped by an internal error (a bug: see the logs)',
      registers,
      collect() {
        this.reset();
        this.inc(engine().counters().errors);
      },
    });
    new Gauge({
      name: 'meridian_dns_health_version',
      help: 'version of the health table the answers are based on',
      registers,
      collect() {
        this.set(healthVersion());
      },
    });
    new Counter({
      name: 'meridian_dns_udp_dropped_total',
      help: 'UDP queries dropped unanswered by the listener: source_port_0 (no reply can reach it), send_failed',
      labelNames: ['reason'],
      registers,
      collect() {
        this.reset();
        const d = listeners.udp();
        if (!d) return;
        this.inc({ reason: 'source_port_0' }, d.sourcePortZero);
        this.inc({ reason: 'send_failed' }, d.sendFailed);
      },
    });
    new Gauge({
      name: 'meridian_dns_tcp_connections',
      help: 'open DNS TCP connections',
      registers,
      collect() {
        this.set(listeners.tcp()?.connections ?? 0);
      },
    });
    new Counter({
      name: 'meridian_dns_tcp_closed_total',
      help: 'DNS TCP connections the server closed, by reason',
      labelNames: ['reason'],
      registers,
      collect() {
        this.reset();
        const t = listeners.tcp();
        if (!t) return;
        for (const [key, reason] of Object.entries(TCP_CLOSE_REASONS))
          this.inc({ reason }, t.closed[key as keyof typeof TCP_CLOSE_REASONS]);
      },
    });
    new Counter({
      name: 'meridian_dns_tcp_read_pauses_total',
      help: 'times a DNS TCP connection stopped being read because its answers were not taken',
      registers,
      collect() {
        this.reset();
        this.inc(listeners.tcp()?.readPauses ?? 0);
      },
    });
    this.reloads = new Counter({
      name: 'meridian_gslb_reloads_total',
      help: 'world file reloads by result (ok, invalid, unreadable)',
      labelNames: ['result'],
      registers,
    });
  }
}
