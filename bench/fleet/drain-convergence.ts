// Issue 12: seconds from a drain through instance A's admin API until instance B answers without
// the region, over N trials, on a loopback 3-node NATS cluster with one vantage probing.
// Run: npx tsx bench/fleet/drain-convergence.ts   (FLEET_DRAIN_TRIALS, default 20)
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as packet from 'dns-packet';
import pino from 'pino';
import { startNatsCluster, VantageProber } from '../../src/fleet/io/index.js';
import { Gslb } from '../../src/gslb/index.js';
import { e2eWorldYaml, HealthEndpoint } from '../../src/gslb/test-support/e2e-world.js';
import { loadWorld } from '../../src/world/io/index.js';

const TRIALS = Number(process.env.FLEET_DRAIN_TRIALS ?? 20);
const TOKEN = 'drain-convergence-bench-token-01';

async function main(): Promise<void> {
  const cluster = await startNatsCluster();
  const dir = mkdtempSync(join(tmpdir(), 'meridian-drain-bench-'));
  const health = [1, 2, 3].map((n) => new HealthEndpoint(`127.0.${n}.1`));
  for (const h of health) await h.start();
  const worldPath = join(dir, 'meridian.yaml');
  writeFileSync(
    worldPath,
    e2eWorldYaml(
      health.map((h) => h.port),
      'vantages:\n  v1: { cloudRegion: us-east-1 }\n',
      '{ path: /healthz, intervalMs: 200, timeoutMs: 500, rise: 1, fall: 2 }',
    ),
  );
  const fleet = 'drain-bench';
  const prober = new VantageProber({
    world: loadWorld(worldPath),
    vantage: 'v1',
    servers: cluster.urls,
    fleet,
  });
  prober.start();
  const mk = (servers: readonly string[]) =>
    new Gslb({
      worldPath,
      listen: { host: '127.0.0.1', port: 0 },
      admin: { host: '127.0.0.1', port: 0 },
      adminToken: TOKEN,
      logger: pino({ level: 'silent' }),
      watch: false,
      fleet: { servers, name: fleet },
    });
  const a = mk([cluster.urls[0]!]);
  const b = mk([cluster.urls[1]!]);
  await a.start();
  await b.start();
  const sock = createSocket('udp4');
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  let id = 0;
  const pending = new Map<number, (addr: string | null) => void>();
  sock.on('message', (m) => {
    const d = packet.decode(m);
    const a0 = d.answers?.[0] as { data?: string } | undefined;
    pending.get(d.id ?? -1)?.(a0?.data ?? null);
    pending.delete(d.id ?? -1);
  });
  const ask = (port: number) =>
    new Promise<string | null>((resolve) => {
      const qid = ++id & 0xffff;
      pending.set(qid, resolve);
      setTimeout(() => {
        if (pending.delete(qid)) resolve(null);
      }, 500);
      sock.send(
        packet.encode({
          type: 'query',
          id: qid,
          questions: [{ type: 'A', name: 'links.example.test' }],
          additionals: [
            {
              type: 'OPT',
              name: '.',
              udpPayloadSize: 1232,
              options: [{ code: 'CLIENT_SUBNET', ip: '203.0.113.0', sourcePrefixLength: 24 }],
            } as unknown as packet.Answer,
          ],
        }),
        port,
        '127.0.0.1',
      );
    });
  const until = async (fn: () => Promise<boolean>, ms = 30_000) => {
    const end = Date.now() + ms;
    while (!(await fn())) {
      if (Date.now() > end) throw new Error('timed out');
    }
  };
  const post = (g: Gslb, path: string) =>
    fetch(`http://127.0.0.1:${g.adminPort}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: '{}',
    });
  await until(async () => (await ask(a.dnsPort)) === '127.0.3.1' && (await ask(b.dnsPort)) === '127.0.3.1');
  const load = [loadavg()[0]!];
  const samples: number[] = [];
  for (let t = 0; t < TRIALS; t++) {
    const start = process.hrtime.bigint();
    const res = await post(a, '/v1/regions/af-south-1/drain');
    if (res.status !== 200) throw new Error(`drain: ${res.status}`);
    await until(async () => (await ask(b.dnsPort)) === '127.0.2.1');
    samples.push(Number(process.hrtime.bigint() - start) / 1e9);
    await post(a, '/v1/regions/af-south-1/undrain');
    await until(async () => (await ask(b.dnsPort)) === '127.0.3.1' && (await ask(a.dnsPort)) === '127.0.3.1');
    load.push(loadavg()[0]!);
  }
  samples.sort((x, y) => x - y);
  const q = (p: number) => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))]!;
  console.log(
    JSON.stringify({
      trials: TRIALS,
      p50Seconds: Number(q(0.5).toFixed(4)),
      p90Seconds: Number(q(0.9).toFixed(4)),
      maxSeconds: Number(samples.at(-1)!.toFixed(4)),
      minSeconds: Number(samples[0]!.toFixed(4)),
      load1: { min: Math.min(...load), max: Math.max(...load) },
    }),
  );
  sock.close();
  await a.stop();
  await b.stop();
  await prober.stop();
  for (const h of health) await h.stop();
  await cluster.stop();
  rmSync(dir, { recursive: true, force: true });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
