// `meridian probe [FILE] --vantage NAME --nats URL[,URL…]`: probes every region from one vantage
// point and publishes each observation to the fleet's JetStream stream.
import { createServer, type Server } from 'node:http';
import type { Command } from 'commander';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { isMeridianError, MeridianError } from '../../core/index.js';
import { defaultFleetName, fleetSubjects } from '../../fleet/index.js';
import { type NatsLinkEvent, PROBER_EVENTS, VantageProber } from '../../fleet/io/index.js';
import type { World } from '../../world/index.js';
import { loadWorld } from '../../world/io/index.js';
import type { CliIo } from '../cli-io.js';
import { programLifecycle } from '../program-lifecycle.js';
import { reloadWorldOnSighup } from '../reload-world-on-sighup.js';

interface ProbeFlags {
  vantage: string;
  nats: string;
  fleet?: string;
  sourceAddress?: string;
  progressEvery: string;
  metrics?: string;
}

/** `a:4222,nats://b:4222` → `['nats://a:4222', 'nats://b:4222']`; MERIDIAN_USAGE when empty or malformed. */
export function parseNatsUrls(text: string): string[] {
  const urls = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (urls.length === 0) {
    throw new MeridianError('MERIDIAN_USAGE', '--nats needs at least one server, like nats://127.0.0.1:4222');
  }
  return urls.map((u) => {
    const m = /^(?:(nats|tls):\/\/)?([^\s/:]+|\[[0-9a-fA-F:]+\]):(\d{1,5})$/.exec(u);
    if (!m || Number(m[3]) > 65_535) {
      throw new MeridianError(
        'MERIDIAN_USAGE',
        `--nats "${u}" is not a NATS server URL (like nats://127.0.0.1:4222)`,
      );
    }
    return m[1] ? u : `nats://${u}`;
  });
}

export function registerProbe(program: Command, io: CliIo): void {
  program
    .command('probe')
    .description(
      "probe every region from one vantage point and publish each observation to the fleet's NATS stream",
    )
    .argument('[file]', 'world file', 'meridian.yaml')
    .requiredOption('--vantage <name>', 'this vantage, as named under vantages: in the world file')
    .requiredOption('--nats <url,...>', 'NATS servers, comma-separated (any servers of the cluster)')
    .option(
      '--fleet <name>',
      'fleet name: stream meridian-<fleet>-health (default: the zone, dots as dashes)',
    )
    .option('--source-address <ip>', 'local address to probe from (the lab gives each vantage its own)')
    .option(
      '--metrics <host:port>',
      "serve Prometheus metrics (the prober's, process and Node) on http://HOST:PORT/metrics",
    )
    .option('--progress-every <seconds>', 'print counts every this many seconds (0: never)', '60')
    .addHelpText(
      'after',
      [
        '',
        'Each probe result is published to meridian.<fleet>.health.<vantage>.<region> as',
        '{region, vantage, ok, latencyMs, reason, time}. The stream is created when absent.',
        'NATS down: probing goes on, observations are dropped (never queued), reconnects forever.',
        'Prints "ready" once publishing. Reload: SIGHUP. Stop: SIGINT/SIGTERM.',
        'See src/fleet/README.md.',
      ].join('\n'),
    )
    .action(async (file: string, flags: ProbeFlags) => {
      const world = loadWorld(file);
      const servers = parseNatsUrls(flags.nats);
      const fleet = flags.fleet ?? defaultFleetName(world);
      try {
        fleetSubjects(fleet);
      } catch (err) {
        if (isMeridianError(err)) throw new MeridianError('MERIDIAN_USAGE', `--fleet: ${err.message}`);
        throw err;
      }
      if (!world.vantages.some((v) => v.name === flags.vantage)) {
        const known = world.vantages.map((v) => v.name);
        throw new MeridianError(
          'MERIDIAN_USAGE',
          `--vantage "${flags.vantage}" is not declared in ${file}; ${known.length ? `declared: ${known.join(', ')}` : 'add it under vantages: { NAME: { location: { lat, lon } } }'}`,
        );
      }
      const progressSeconds = Number(flags.progressEvery);
      if (!(progressSeconds >= 0)) {
        throw new MeridianError(
          'MERIDIAN_USAGE',
          `--progress-every "${flags.progressEvery}" is not a number of seconds`,
        );
      }
      const registry = new Registry();
      collectDefaultMetrics({ register: registry });
      const prober = new VantageProber({
        world,
        registry,
        vantage: flags.vantage,
        servers,
        fleet,
        ...(flags.sourceAddress ? { sourceAddress: flags.sourceAddress } : {}),
      });
      const label = `meridian probe (${flags.vantage})`;
      const counts = () => {
        const s = prober.stats();
        return `published ${s.published}, failed ${s.failed}, dropped ${s.dropped}; NATS ${s.connected ? 'connected' : 'not connected'}`;
      };
      prober.on(PROBER_EVENTS.nats, (e: NatsLinkEvent) => {
        if (e.state === 'connect-failed') {
          if (e.attempt === 1 || (e.attempt ?? 0) % 20 === 0) {
            io.err(
              `${label}: NATS unreachable (${e.error}); probing goes on, retrying (attempt ${e.attempt})`,
            );
          }
        } else if (e.state === 'disconnected') {
          io.err(
            `${label}: NATS disconnected${e.server ? ` from ${e.server}` : ''}; observations are dropped until it is back`,
          );
        } else {
          io.err(`${label}: NATS ${e.state} (${e.server})`);
        }
      });
      const life = programLifecycle({ label, io });
      let metricsPort: number | null = null;
      if (flags.metrics) {
        const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(flags.metrics);
        if (!m) throw new MeridianError('MERIDIAN_USAGE', `--metrics "${flags.metrics}" is not HOST:PORT`);
        const server = await serveMetrics(registry, m[1]!, Number(m[2]));
        life.opened('metrics server', () => new Promise<void>((resolve) => server.close(() => resolve())));
        const a = server.address();
        metricsPort = typeof a === 'object' && a ? a.port : null;
        io.err(`${label}: metrics on http://${m[1]}:${metricsPort}/metrics`);
      }
      let ready = false;
      prober.on(PROBER_EVENTS.streamReady, (e: { stream: string; replicas: number }) => {
        const line = `${label}: ready: publishing to ${prober.subjects.subjectOf(flags.vantage, '<region>')} (stream ${e.stream}, ${e.replicas} replica${e.replicas === 1 ? '' : 's'})`;
        if (ready) io.err(line);
        else life.ready(line, { stream: e.stream, ...(metricsPort === null ? {} : { metricsPort }) }, 'err');
        ready = true;
      });
      prober.on(PROBER_EVENTS.streamError, (e: { error: string }) =>
        io.err(`${label}: the stream is not available yet (${e.error}); retrying`),
      );
      io.err(
        `${label}: probing ${world.regions.length} regions of ${world.zone} (${describeSchedule(world)}) → stream ${prober.subjects.stream} on ${servers.join(',')}`,
      );
      prober.start();
      // the probes' timers do not hold the process open; this does, until a signal
      const keepAlive = setInterval(() => {}, 1 << 30);
      life.opened('keep-alive timer', () => clearInterval(keepAlive));
      life.opened('prober', async () => {
        await prober.stop();
        io.err(`${label}: stopped: ${counts()}`);
      });
      if (progressSeconds > 0) {
        const progress = setInterval(() => io.err(`${label}: ${counts()}`), progressSeconds * 1000);
        life.opened('progress timer', () => clearInterval(progress));
      }
      life.opened(
        'world reload',
        reloadWorldOnSighup(
          file,
          label,
          (next) => {
            if (!next.vantages.some((v) => v.name === flags.vantage)) {
              return { adopted: false, restartNeeded: [`vantages.${flags.vantage}`] };
            }
            prober.setWorld(next);
            return { adopted: true, restartNeeded: [] };
          },
          io,
        ),
      );
      await life.untilStopped();
    });
}

function describeSchedule(world: World): string {
  const intervals = [...new Set(world.regions.map((r) => r.health.intervalMs))].sort((a, b) => a - b);
  return `every ${intervals.join('/')} ms`;
}

/** A tiny HTTP server for GET /metrics (404 elsewhere). */
function serveMetrics(registry: Registry, host: string, port: number): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
      (err: unknown) => res.writeHead(500).end(String(err)),
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
