// What losing one NATS node costs the fleet: for each trial, kill one node of the local 3-node
// cluster (in turn: the one holding a consumer's leader, the stream's leader, another) and time
// how long publishing stops and how long each consumer goes without a new observation.
// Run: npx tsx bench/fleet/node-kill.ts   (FLEET_KILL_TRIALS=9)
import { execSync } from 'node:child_process';
import { createServer } from 'node:http';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { FleetHealthConsumer, startNatsCluster, VantageProber } from '../../src/fleet/io/index.js';
import { lintWorldText } from '../../src/world/index.js';

const TRIALS = Number(process.env.FLEET_KILL_TRIALS ?? 9);
const FLEET = 'killbench';
const STREAM = `meridian-${FLEET}-health`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const servers = await Promise.all(
  [1, 2, 3].map(async (i) => {
    const s = createServer((_req, res) => res.end('ok\n'));
    await new Promise<void>((resolve) => s.listen(0, `127.0.${i}.1`, resolve));
    return (s.address() as { port: number }).port;
  }),
);
const world = lintWorldText(
  [
    'zone: bench.test',
    'home: r1',
    'regions:',
    ...servers.map(
      (port, i) =>
        `  r${i + 1}: { cidr: 10.${i + 1}.0.0/16, address: 127.0.${i + 1}.1, port: ${port}, location: { lat: 0, lon: ${i} } }`,
    ),
    'health: { intervalMs: 100, timeoutMs: 100 }',
    'vantages:',
    ...[1, 2, 3].map((i) => `  v${i}: { location: { lat: ${i}, lon: 0 }, lab: { address: 127.0.200.${i} } }`),
  ].join('\n'),
).world!;

const cluster = await startNatsCluster();
const urls = [...cluster.urls];
const consumers = [0, 1].map(
  (i) => new FleetHealthConsumer({ world, servers: urls, fleet: FLEET, name: `c${i}` }),
);
const probers = world.vantages.map(
  (v) =>
    new VantageProber({ world, vantage: v.name, servers: urls, fleet: FLEET, sourceAddress: v.lab!.address }),
);
const rows: string[] = [];
try {
  for (const c of consumers) c.start();
  for (const p of probers) p.start();
  const nc = await connect({ servers: urls, maxReconnectAttempts: -1, reconnectTimeWait: 100 });
  const jsm = await jetstreamManager(nc, { checkAPI: false });
  const until = async (pred: () => boolean | Promise<boolean>, ms = 60_000) => {
    const deadline = Date.now() + ms;
    while (!(await pred())) {
      if (Date.now() > deadline) throw new Error('timed out');
      await sleep(20);
    }
  };
  await until(() => consumers.every((c) => c.table().regions.every((r) => r.serving)));
  console.log(`uptime: ${execSync('uptime').toString().trim()}`);
  for (let trial = 0; trial < TRIALS; trial++) {
    await sleep(3000);
    const info = await jsm.streams.info(STREAM);
    const kind = ['consumer leader', 'stream leader', 'other node'][trial % 3]!;
    const holder = consumers[0]!.status().consumerServer;
    const names = cluster.nodes.map((n) => n.name);
    const victimName =
      kind === 'consumer leader'
        ? holder
        : kind === 'stream leader'
          ? info.cluster?.leader
          : names.find((n) => n !== holder && n !== info.cluster?.leader);
    const victim = names.indexOf(victimName ?? names[trial % 3]!);
    const seqAtKill = info.state.last_seq;
    const published = () => probers.reduce((n, p) => n + p.stats().published, 0);
    const pub0 = published();
    const t0 = performance.now();
    await cluster.kill(victim);
    const first: (number | null)[] = [null, null, null];
    await until(() => {
      const now = performance.now() - t0;
      if (first[0] === null && published() > pub0 + 3) first[0] = now;
      consumers.forEach((c, i) => {
        if (first[i + 1] === null && c.status().lastSequence > seqAtKill + 30) first[i + 1] = now;
      });
      return first.every((x) => x !== null);
    });
    const [pub, c0, c1] = first.map((x) => (x! / 1000).toFixed(2));
    rows.push(`| ${trial + 1} | ${kind} (${cluster.nodes[victim]!.name}) | ${pub} | ${c0} | ${c1} |`);
    console.log(rows.at(-1));
    await cluster.restart(victim);
  }
  console.log(
    '\n| trial | node killed | publishing again (s) | consumer 1 reads again (s) | consumer 2 reads again (s) |',
  );
  console.log('|---|---|---|---|---|');
  for (const r of rows) console.log(r);
  console.log(`uptime: ${execSync('uptime').toString().trim()}`);
  await nc.close();
} finally {
  await Promise.all(probers.map((p) => p.stop()));
  await Promise.all(consumers.map((c) => c.stop()));
  await cluster.stop();
  process.exit(0);
}
