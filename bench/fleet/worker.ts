// One role of the fleet bench, in its own process (so each one's CPU is its own):
//   regions N           – N HTTP /healthz servers on 127.0.{1..N}.1, port 0; says their ports
//   probers PORTS V URLS FLEET [instant] – V VantageProbers (one NATS connection each) on that
//                                  world; `instant`: a probe that answers ok at once (the schedule
//                                  and the publishing are real, the HTTP check is not)
//   consumer PORTS V URLS FLEET  – one FleetHealthConsumer (FLEET_CONSUMER_REPLICAS: its consumer's
//                                  replicas); reports its CPU over a window on request
import { createServer } from 'node:http';
import { FleetHealthConsumer, VantageProber } from '../../src/fleet/io/index.js';
import type { Probe } from '../../src/monitor/index.js';
import { fleetWorld } from './fleet-world.js';

const [role, ...args] = process.argv.slice(2);
const send = (m: unknown) => process.send?.(m);

if (role === 'regions') {
  const n = Number(args[0]);
  const ports: number[] = [];
  for (let i = 0; i < n; i++) {
    const server = createServer((_req, res) => res.end('ok\n'));
    await new Promise<void>((resolve) => server.listen(0, `127.0.${i + 1}.1`, resolve));
    ports.push((server.address() as { port: number }).port);
  }
  send({ type: 'ready', ports });
} else if (role === 'probers') {
  const [portsText, v, urls, fleet, mode] = args as [string, string, string, string, string?];
  const world = fleetWorld(portsText.split(',').map(Number), Number(v));
  const instant: Probe = { check: async () => ({ ok: true, durationMs: 0.1 }) };
  const probers = world.vantages.map(
    (vantage) =>
      new VantageProber({
        world,
        vantage: vantage.name,
        servers: urls.split(','),
        fleet,
        sourceAddress: vantage.lab!.address,
        ...(mode === 'instant' ? { probe: instant } : {}),
      }),
  );
  for (const p of probers) p.start();
  process.on('message', async (m: { type: string }) => {
    if (m.type === 'stats') {
      const s = probers.map((p) => p.stats());
      send({
        type: 'stats',
        published: s.reduce((n, x) => n + x.published, 0),
        failed: s.reduce((n, x) => n + x.failed, 0),
        dropped: s.reduce((n, x) => n + x.dropped, 0),
        cpu: process.cpuUsage(),
      });
    } else if (m.type === 'stop') {
      await Promise.all(probers.map((p) => p.stop()));
      process.exit(0);
    }
  });
  send({ type: 'ready' });
} else if (role === 'consumer') {
  const [portsText, v, urls, fleet] = args as [string, string, string, string];
  const world = fleetWorld(portsText.split(',').map(Number), Number(v));
  const replicas = process.env.FLEET_CONSUMER_REPLICAS
    ? Number(process.env.FLEET_CONSUMER_REPLICAS)
    : undefined;
  const consumer = new FleetHealthConsumer({
    world,
    servers: urls.split(','),
    fleet,
    ...(replicas ? { consumerReplicas: replicas } : {}),
  });
  consumer.start();
  let mark: { cpu: NodeJS.CpuUsage; seq: number; at: number } | null = null;
  process.on('message', async (m: { type: string }) => {
    if (m.type === 'mark') {
      mark = { cpu: process.cpuUsage(), seq: consumer.status().lastSequence, at: performance.now() };
      send({ type: 'marked', seq: mark.seq });
    } else if (m.type === 'measure' && mark) {
      const cpu = process.cpuUsage(mark.cpu);
      const status = consumer.status();
      send({
        type: 'measured',
        cpuUserMs: cpu.user / 1000,
        cpuSystemMs: cpu.system / 1000,
        wallMs: performance.now() - mark.at,
        messages: status.lastSequence - mark.seq,
        serving: consumer.table().regions.filter((r) => r.serving).length,
        caughtUp: status.caughtUp,
        rssMb: process.memoryUsage().rss / 2 ** 20,
      });
    } else if (m.type === 'status') {
      send({
        type: 'status',
        ...consumer.status(),
        serving: consumer.table().regions.filter((r) => r.serving).length,
      });
    } else if (m.type === 'stop') {
      await consumer.stop();
      process.exit(0);
    }
  });
  send({ type: 'ready' });
}
