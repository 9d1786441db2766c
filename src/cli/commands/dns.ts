// `meridian dns [FILE]`: the traffic-steering authoritative DNS server (GSLB) with its admin API.
import type { Command } from 'commander';
import { MeridianError } from '../../core/index.js';
import { UDP_IO_MODES, type UdpIo } from '../../dns/index.js';
import { DEFAULT_ADMIN, DEFAULT_LISTEN, Gslb, type HostPort } from '../../gslb/index.js';
import { type GeoLookup, openGeoIpDatabase } from '../../policy/index.js';
import type { CliIo } from '../cli-io.js';
import { EXIT_OK } from '../exit-codes.js';

/** Parses `host:port` or `[v6]:port`. */
export function parseHostPort(text: string, what: string): HostPort {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(text) ?? /^([^:]+):(\d+)$/.exec(text);
  const port = m ? Number(m[2]) : Number.NaN;
  if (!m || !(port >= 0 && port <= 65_535)) {
    throw new MeridianError('MERIDIAN_USAGE', `${what} "${text}" is not HOST:PORT (like 127.0.0.1:8053)`);
  }
  return { host: m[1]!, port };
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
    .option('--admin-token <token>', 'bearer token for the admin API (env MERIDIAN_ADMIN_TOKEN)')
    .option('--geoip <file>', 'MaxMind GeoIP2/GeoLite2 City database to locate clients outside `networks`')
    .option('--query-log', 'log every query (costly)')
    .option('--no-watch', 'do not reload when the world file changes (SIGHUP still does)')
    .option('--log-level <level>', 'pino log level', 'info')
    .option(
      '--udp-io <mode>',
      'UDP I/O: batch (native recvmmsg/sendmmsg addon), dgram (node:dgram), auto (batch if built)',
      'auto',
    )
    .addHelpText(
      'after',
      '\nReload: SIGHUP or a change of FILE (validate, then swap). Stop: SIGINT/SIGTERM.\nAdmin API: see src/gslb/README.md',
    )
    .action(
      async (
        file: string,
        opts: {
          listen: string;
          admin: string;
          adminToken?: string;
          geoip?: string;
          queryLog?: boolean;
          watch: boolean;
          logLevel: string;
          udpIo: string;
        },
      ) => {
        if (!UDP_IO_MODES.includes(opts.udpIo as UdpIo))
          throw new MeridianError(
            'MERIDIAN_USAGE',
            `--udp-io "${opts.udpIo}" is not one of ${UDP_IO_MODES.join(', ')}`,
          );
        const { default: pino } = await import('pino');
        const geo: GeoLookup | null = opts.geoip ? await openGeoIpDatabase(opts.geoip) : null;
        const token = opts.adminToken ?? process.env.MERIDIAN_ADMIN_TOKEN;
        const gslb = new Gslb({
          worldPath: file,
          listen: parseHostPort(opts.listen, '--listen'),
          admin: opts.admin === 'off' ? null : parseHostPort(opts.admin, '--admin'),
          ...(token ? { adminToken: token } : {}),
          geo,
          logger: pino({ name: 'meridian-dns', level: opts.logLevel }),
          queryLog: opts.queryLog ?? false,
          watch: opts.watch,
          udpIo: opts.udpIo as UdpIo,
        });
        await gslb.start();
        io.err(
          `meridian dns: serving ${gslb.world.zone} on ${opts.listen.replace(/:\d+$/, '')}:${gslb.dnsPort} (udp io: ${gslb.udpIo})`,
        );
        // Under `meridian up` (an IPC channel): say where it listens; stop when the parent goes.
        process.send?.({ type: 'ready', dnsPort: gslb.dnsPort, adminPort: gslb.adminPort });
        await new Promise<void>((resolve) => {
          const onHup = () => void gslb.reload('SIGHUP');
          const onStop = () => {
            process.off('SIGHUP', onHup);
            process.off('SIGINT', onStop);
            process.off('SIGTERM', onStop);
            process.off('disconnect', onStop);
            resolve();
          };
          process.on('SIGHUP', onHup);
          process.on('SIGINT', onStop);
          process.on('SIGTERM', onStop);
          if (process.send) process.on('disconnect', onStop);
        });
        await gslb.stop();
        io.setExitCode(EXIT_OK);
      },
    );
}
