// The fleet's load at scale: REGIONS regions × VANTAGES vantages probing at the default interval
// into a local 3-node NATS cluster, and what each consumer instance spends on reading it.
// Run: npx tsx bench/fleet/throughput.ts   (FLEET_REGIONS=50 FLEET_VANTAGES=10
//      FLEET_CONSUMERS=2 FLEET_WARMUP_S=15 FLEET_WINDOW_S=60 FLEET_PROBE=http|instant)
import { type ChildProcess, execSync, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { startNatsCluster } from '../../src/fleet/io/index.js';

const REGIONS = Number(process.env.FLEET_REGIONS ?? 50);
const VANTAGES = Number(process.env.FLEET_VANTAGES ?? 10);
const CONSUMERS = Number(process.env.FLEET_CONSUMERS ?? 2);
const WARMUP_S = Number(process.env.FLEET_WARMUP_S ?? 15);
const WINDOW_S = Number(process.env.FLEET_WINDOW_S ?? 60);
const PROBE = process.env.FLEET_PROBE === 'instant' ? 'instant' : 'http';
const FLEET = 'bench';
const STREAM = `meridian-${FLEET}-health`;
const worker = fileURLToPath(new URL('./worker.ts', import.meta.url));

const children: ChildProcess[] = [];
function start(...args: string[]): Promise<{ child: ChildProcess; ready: Record<string, unknown> }> {
  const profile =
    process.env.FLEET_CPU_PROF &&
    args[0] === 'consumer' &&
    children.filter((c) => c.spawnargs.includes('consumer')).length === 0;
  const execArgv = [
    '--import',
    'tsx',
    ...(profile ? ['--cpu-prof', `--cpu-prof-dir=${process.env.FLEET_CPU_PROF}`] : []),
  ];
  const child = fork(worker, args, { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${args[0]} exited ${code}`)));
    child.once('message', (m: Record<string, unknown>) => resolve({ child, ready: m }));
  });
}
function ask<T>(child: ChildProcess, type: string, answer: string): Promise<T> {
  return new Promise((resolve) => {
    const on = (m: { type: string }) => {
      if (m.type !== answer) return;
      child.off('message', on);
      resolve(m as T);
    };
    child.on('message', on);
    child.send({ type });
  });
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Varz {
  in_msgs: number;
  out_msgs: number;
  in_bytes: number;
  out_bytes: number;
}

const cluster = await startNatsCluster();
try {
  const varz = async (): Promise<Varz> => {
    const all = await Promise.all(
      cluster.nodes.map(
        async (n) => (await (await fetch(`http://127.0.0.1:${n.monitorPort}/varz`)).json()) as Varz,
      ),
    );
    return all.reduce(
      (a, v) => ({
        in_msgs: a.in_msgs + v.in_msgs,
        out_msgs: a.out_msgs + v.out_msgs,
        in_bytes: a.in_bytes + v.in_bytes,
        out_bytes: a.out_bytes + v.out_bytes,
      }),
      { in_msgs: 0, out_msgs: 0, in_bytes: 0, out_bytes: 0 },
    );
  };
  const nc = await connect({ servers: [...cluster.urls] });
  const jsm = await jetstreamManager(nc);
  const urls = cluster.urls.join(',');
  const regions = await start('regions', String(REGIONS));
  const ports = (regions.ready.ports as number[]).join(',');
  const consumers = [];
  for (let i = 0; i < CONSUMERS; i++)
    consumers.push((await start('consumer', ports, String(VANTAGES), urls, FLEET)).child);
  const probers = (await start('probers', ports, String(VANTAGES), urls, FLEET, PROBE)).child;
  console.log(
    `warming up ${WARMUP_S} s: ${REGIONS} regions × ${VANTAGES} vantages (${PROBE} probes), ${CONSUMERS} consumers`,
  );
  await sleep(WARMUP_S * 1000);
  const load0 = execSync('uptime').toString().trim();
  const s0 = await jsm.streams.info(STREAM);
  const v0 = await varz();
  const p0 = await ask<{ published: number; failed: number; dropped: number }>(probers, 'stats', 'stats');
  for (const c of consumers) await ask(c, 'mark', 'marked');
  const t0 = performance.now();
  await sleep(WINDOW_S * 1000);
  const measured = await Promise.all(
    consumers.map((c) => ask<Record<string, number>>(c, 'measure', 'measured')),
  );
  const seconds = (performance.now() - t0) / 1000;
  const s1 = await jsm.streams.info(STREAM);
  const v1 = await varz();
  const p1 = await ask<{ published: number; failed: number; dropped: number }>(probers, 'stats', 'stats');
  const load1 = execSync('uptime').toString().trim();
  const msgs = s1.state.last_seq - s0.state.last_seq;
  const storedPerMsg = s1.state.bytes / s1.state.messages;
  const sample = await jsm.streams.getMessage(STREAM, { seq: s1.state.last_seq });
  const payload = sample?.data.length ?? 0;
  const nominal = (REGIONS * VANTAGES * 1000) / 500;
  const rows = [
    ['window', `${seconds.toFixed(1)} s (after ${WARMUP_S} s warm-up)`],
    ['nominal rate', `${nominal} observations/s (${REGIONS} × ${VANTAGES} every 500 ms)`],
    ['stored', `${(msgs / seconds).toFixed(0)} msg/s (stream sequence delta ${msgs})`],
    [
      'published / failed / dropped',
      `${p1.published - p0.published} / ${p1.failed - p0.failed} / ${p1.dropped - p0.dropped}`,
    ],
    [
      'payload',
      `${payload} B/msg (a sample: ${sample ? new TextDecoder().decode(sample.data) : '?'}) → ${(((msgs / seconds) * payload) / 1024).toFixed(1)} KiB/s`,
    ],
    [
      'stored in the stream',
      `${storedPerMsg.toFixed(0)} B/msg → ${(((msgs / seconds) * storedPerMsg) / 1024).toFixed(1)} KiB/s per replica`,
    ],
    [
      'cluster wire (3 servers, varz in+out)',
      `${((v1.in_msgs - v0.in_msgs + (v1.out_msgs - v0.out_msgs)) / seconds).toFixed(0)} msg/s, ${((v1.in_bytes - v0.in_bytes + (v1.out_bytes - v0.out_bytes)) / seconds / 1024).toFixed(1)} KiB/s`,
    ],
    [
      'stream size',
      `${s1.state.messages} messages, ${(s1.state.bytes / 2 ** 20).toFixed(1)} MiB (limits: 100 per subject)`,
    ],
    ...measured.map((m, i) => [
      `consumer ${i + 1} CPU`,
      `${(((m.cpuUserMs! + m.cpuSystemMs!) / m.wallMs!) * 100).toFixed(1)} % of a core (user ${(m.cpuUserMs! / 1000).toFixed(2)} s + sys ${(m.cpuSystemMs! / 1000).toFixed(2)} s in ${(m.wallMs! / 1000).toFixed(1)} s), ${(((m.cpuUserMs! + m.cpuSystemMs!) * 1000) / m.messages!).toFixed(1)} µs/msg over ${m.messages} msgs, RSS ${m.rssMb!.toFixed(0)} MiB, ${m.serving}/${REGIONS} serving`,
    ]),
    ['uptime before', load0],
    ['uptime after', load1],
  ];
  for (const [k, v] of rows) console.log(`| ${k} | ${v} |`);
  for (const child of [probers, ...consumers]) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.send({ type: 'stop' });
    await Promise.race([exited, sleep(5000)]);
  }
  await nc.close();
} finally {
  for (const c of children) c.kill('SIGKILL');
  await cluster.stop();
}
