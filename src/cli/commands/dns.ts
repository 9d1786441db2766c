// `meridian dns [FILE]`: the traffic-steering authoritative DNS server (GSLB) with its admin API.
import { type Command, Option } from 'commander';
import { MeridianError } from '../../core/index.js';
import {
  DEFAULT_TCP_IDLE_MS,
  DEFAULT_TCP_MAX_CONNECTIONS,
  DEFAULT_TCP_MAX_CONNECTIONS_PER_CLIENT,
  DEFAULT_TCP_MESSAGE_TIMEOUT_MS,
  UDP_IO_MODES,
  type UdpIo,
} from '../../dns/io/index.js';
import { DEFAULT_ADMIN, DEFAULT_LISTEN, Gslb, type HostPort } from '../../gslb/index.js';
import type { GeoLookup } from '../../policy/index.js';
import { openGeoIpDatabase } from '../../policy/io/index.js';
import { ADMIN_TOKEN_ENV, adminTokenFromFlags, adminTokenOnCommandLine } from '../admin-token-from-flags.js';
import type { CliIo } from '../cli-io.js';
import { programLifecycle } from '../program-lifecycle.js';
import { parseNatsUrls } from './probe.js';

/** Parses `host:port` or `[v6]:port`. */
export function parseHostPort(text: string, what: string): HostPort {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(text) ?? /^([^:]+):(\d+)$/.exec(text);
  const port = m ? Number(m[2]) : Number.NaN;
  if (!m || !(port >= 0 && port <= 65_535)) {
    throw new MeridianError('MERIDIAN_USAGE', `${what} "${text}" is not HOST:PORT (like 127.0.0.1:8053)`);
  }
  return { host: m[1]!, port };
}

/** Parses a whole number ≥ 1 given to `flag`. */
export function parsePositiveInteger(text: string, flag: string): number {
  const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(n >= 1 && Number.isSafeInteger(n)))
    throw new MeridianError('MERIDIAN_USAGE', `${flag} "${text}" is not a whole number of at least 1`);
  return n;
}

export function registerDns(program: Command, io: CliIo): void {
  program
    .command('dns')
    .description('serve the world zone: answer each client with the nearest healthy region')
    .argument('[file]', 'world file', 'meridian.yaml')
    .option(
      '--listen <host:port>',
      'DNS address (UDP and TCP)',
      `${DEFAULT_LISTEN.host}:${DEFAULT_LISTEN.port}`,
    )
    .option(
      '--admin <host:port|off>',
      'admin HTTP API address, or "off"',
      `${DEFAULT_ADMIN.host}:${DEFAULT_ADMIN.port}`,
    )
    .option(
      '--admin-token-file <file>',
      `bearer token the admin API requires, 16+ characters (default $${ADMIN_TOKEN_ENV}; required off loopback)`,
    )
    // Refused with a message: a token on the command line is visible in ps.
    .addOption(new Option('--admin-token <token>').hideHelp())
    .option(
      '--admin-allow-host <name>',
      'a DNS name admin requests may carry in Host besides localhost and IP addresses (repeatable)',
      (name: string, all: string[]) => [...all, name],
      [] as string[],
    )
    .option(
      '--nats <url,...>',
      "fleet mode: health from the fleet's vantages, drains and rollouts from its operator-state bucket",
    )
    .option('--fleet <name>', 'fleet name with --nats (default: the zone, dots as dashes)')
    .option('--geoip <file>', 'MaxMind GeoIP2/GeoLite2 City database to locate clients outside `networks`')
    .option('--query-log', 'log every query (costly)')
    .option(
      '--no-decision-log',
      'do not keep the decision log behind GET /v1/decisions (for cost comparisons)',
    )
    .option('--no-watch', 'do not reload when the world file changes (SIGHUP still does)')
    .option('--log-level <level>', 'pino log level', 'info')
    .option(
      '--udp-io <mode>',
      'UDP I/O: batch (native recvmmsg/sendmmsg addon), dgram (node:dgram), auto (batch if built)',
      'auto',
    )
    .option(
      '--tcp-max-connections <n>',
      'DNS TCP connections at most; at the cap a new one replaces the one longest without a query',
      String(DEFAULT_TCP_MAX_CONNECTIONS),
    )
    .option(
      '--tcp-max-per-client <n>',
      'DNS TCP connections at most per client IPv4 address or IPv6 /64; more are closed at accept',
      String(DEFAULT_TCP_MAX_CONNECTIONS_PER_CLIENT),
    )
    .option(
      '--tcp-idle-timeout <ms>',
      'close a DNS TCP connection that completes no query for this long',
      String(DEFAULT_TCP_IDLE_MS),
    )
    .option(
      '--tcp-message-timeout <ms>',
      'a DNS TCP query must arrive whole, and unread answers must be taken, within this long',
      String(DEFAULT_TCP_MESSAGE_TIMEOUT_MS),
    )
    .addHelpText(
      'after',
      '\nReload: SIGHUP or a change of FILE (validate, then swap). Stop: SIGINT/SIGTERM.\nAdmin API: see src/gslb/README.md\nFleet mode (--nats): never waits on NATS; with NATS away it answers from the last state with TTLs capped (fail static).',
    )
    .action(
      async (
        file: string,
        opts: {
          listen: string;
          admin: string;
          adminToken?: string;
          adminTokenFile?: string;
          adminAllowHost: string[];
          geoip?: string;
          queryLog?: boolean;
          watch: boolean;
          decisionLog: boolean;
          logLevel: string;
          udpIo: string;
          tcpMaxConnections: string;
          tcpMaxPerClient: string;
          tcpIdleTimeout: string;
          tcpMessageTimeout: string;
          nats?: string;
          fleet?: string;
        },
      ) => {
        if (opts.fleet !== undefined && opts.nats === undefined)
          throw new MeridianError('MERIDIAN_USAGE', '--fleet needs --nats URL[,URL…]');
        const fleet = opts.nats
          ? { servers: parseNatsUrls(opts.nats), ...(opts.fleet ? { name: opts.fleet } : {}) }
          : undefined;
        if (opts.adminToken !== undefined) throw adminTokenOnCommandLine();
        const token = adminTokenFromFlags(opts.adminTokenFile, process.env);
        if (!UDP_IO_MODES.includes(opts.udpIo as UdpIo))
          throw new MeridianError(
            'MERIDIAN_USAGE',
            `--udp-io "${opts.udpIo}" is not one of ${UDP_IO_MODES.join(', ')}`,
          );
        const tcp = {
          tcpMaxConnections: parsePositiveInteger(opts.tcpMaxConnections, '--tcp-max-connections'),
          tcpMaxConnectionsPerClient: parsePositiveInteger(opts.tcpMaxPerClient, '--tcp-max-per-client'),
          tcpIdleTimeoutMs: parsePositiveInteger(opts.tcpIdleTimeout, '--tcp-idle-timeout'),
          tcpMessageTimeoutMs: parsePositiveInteger(opts.tcpMessageTimeout, '--tcp-message-timeout'),
        };
        const { default: pino } = await import('pino');
        const geo: GeoLookup | null = opts.geoip ? await openGeoIpDatabase(opts.geoip) : null;
        const gslb = new Gslb({
          worldPath: file,
          listen: parseHostPort(opts.listen, '--listen'),
          admin: opts.admin === 'off' ? null : parseHostPort(opts.admin, '--admin'),
          ...(token ? { adminToken: token } : {}),
          adminAllowedHosts: opts.adminAllowHost,
          geo,
          logger: pino({ name: 'meridian-dns', level: opts.logLevel }),
          queryLog: opts.queryLog ?? false,
          decisionLog: opts.decisionLog,
          processMetrics: true,
          watch: opts.watch,
          udpIo: opts.udpIo as UdpIo,
          ...tcp,
          ...(fleet ? { fleet } : {}),
        });
        await gslb.start();
        const life = programLifecycle({ label: 'meridian dns', io });
        life.opened('gslb', () => gslb.stop());
        const onHup = () => void gslb.reload('SIGHUP');
        process.on('SIGHUP', onHup);
        life.opened('world reload', () => {
          process.off('SIGHUP', onHup);
        });
        life.ready(
          `meridian dns: serving ${gslb.world.zone} on ${opts.listen.replace(/:\d+$/, '')}:${gslb.dnsPort} (udp io: ${gslb.udpIo})`,
          { dnsPort: gslb.dnsPort, adminPort: gslb.adminPort },
          'err',
        );
        await life.untilStopped();
      },
    );
}
