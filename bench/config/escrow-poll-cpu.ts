// npm run bench:config:escrow-cpu — CPU and bytes a region spends polling an unchanged, refused 64 MB escrow object.
//
// Home is away, so escrow is the only source. Escrow's pointer names version 2, whose object is
// 64 MB of a well-formed envelope that does not verify. The in-process caches hold nothing (the
// pointer already names version 2 at their first poll); the real region holds version 1.
// Two cases: the default maxBytes (16 MiB, so the object is too large) and maxBytes raised to
// 128 MiB (so the object is small enough to read and fails its signature check). Measured:
//   1. in-process: process.cpuUsage() over POLLS calls of cache.pollNow(), directory escrow;
//   2. on the wire: bytes downloaded per poll from S3 escrow (s3rver behind a counting proxy);
//   3. a real `meridian region` process (dist/, so run `npm run build` first) polling directory
//      escrow every second for MEASURE_S seconds: its utime + stime from /proc.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ConfigCache,
  ConfigPublisher,
  type EscrowStore,
  escrowSource,
  generateSigningKeys,
  pointerKey,
  snapshotKey,
} from '../../src/config/index.js';
import { directoryEscrowStore, s3EscrowStore } from '../../src/config/io/index.js';
import { s3ClientFor, startS3rver } from '../../src/config/test-support/start-s3rver.js';
import { startWireCounter } from './wire-counter.js';

const NAME = 'links-config';
const OBJECT_MB = Number(process.env.BENCH_OBJECT_MB ?? 64);
const POLLS = Number(process.env.BENCH_POLLS ?? 20);
const MEASURE_S = Number(process.env.BENCH_MEASURE_S ?? 15);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

type Data = Record<string, unknown>;
const anyObject = (d: unknown) =>
  typeof d === 'object' && d !== null
    ? { ok: true as const, value: d as Data }
    : { ok: false as const, reason: 'not an object' };

/** A well-formed envelope of about `mb` MB whose signature does not verify. */
function bigBadEnvelope(mb: number): Buffer {
  const payload = Buffer.alloc(Math.floor((mb * 1024 * 1024 * 3) / 4), 0x61).toString('base64');
  return Buffer.from(
    JSON.stringify({ format: 'meridian-config/1', payload, signature: Buffer.alloc(64).toString('base64') }),
  );
}

/** The escrow pointer naming version 2 at `key`. */
function pointerBytes(key: string): Buffer {
  return Buffer.from(JSON.stringify({ name: NAME, version: 2, key }));
}

/** Publishes a small v1, then plants the big object as v2 and points the pointer at it. */
async function plant(escrow: EscrowStore, privateKey: string, big: Buffer): Promise<void> {
  const publisher = new ConfigPublisher<Data>({ name: NAME, privateKey, escrow });
  await publisher.start();
  await publisher.publish({ partners: [] });
  const key = snapshotKey(NAME, 2);
  await escrow.put(key, big);
  await escrow.put(pointerKey(NAME), pointerBytes(key));
}

async function inProcess(
  escrow: EscrowStore,
  publicKey: string,
  maxBytes: number | undefined,
  afterWarmUp: () => void = () => undefined,
) {
  const cache = new ConfigCache<Data>({
    name: NAME,
    publicKey,
    schema: anyObject,
    sources: [escrowSource(escrow, { name: NAME })],
    ...(maxBytes ? { maxBytes } : {}),
  });
  const rejected: string[] = [];
  cache.on('meridian:config:rejected', (e: { reason: string }) => rejected.push(e.reason));
  for (let i = 0; i < 2; i++) await cache.pollNow(); // warm-up: the first poll meets the object
  const rejectedInWarmUp = rejected.length;
  rejected.length = 0;
  afterWarmUp();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const outcomes: Record<string, number> = {};
  for (let i = 0; i < POLLS; i++) {
    const o = await cache.pollNow();
    outcomes[o.outcome] = (outcomes[o.outcome] ?? 0) + 1;
  }
  const cpu = process.cpuUsage(cpu0);
  const wallMs = performance.now() - t0;
  await cache.stop();
  const cpuMsPerPoll = (cpu.user + cpu.system) / 1000 / POLLS;
  return {
    heldVersion: cache.version(),
    outcomes,
    rejectedEventsInWarmUp: rejectedInWarmUp,
    rejectedEvents: rejected.length,
    rejectReasons: [...new Set(rejected)],
    cpuMsPerPoll: +cpuMsPerPoll.toFixed(2),
    wallMsPerPoll: +(wallMs / POLLS).toFixed(2),
    'share of a core at one poll per second': `${((cpuMsPerPoll / 1000) * 100).toFixed(1)} %`,
  };
}

function cpuTicks(pid: number): Promise<number> {
  return readFile(`/proc/${pid}/stat`, 'utf8').then((s) => {
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]); // utime + stime, in clock ticks (100 per second on Linux)
  });
}

/** A real `meridian region` (home unreachable) polling directory escrow; its CPU over MEASURE_S s. */
async function realRegion(dir: string, keys: { publicKey: string; privateKey: string }, big: Buffer) {
  const escrowDir = join(dir, 'region-escrow');
  const escrow = directoryEscrowStore(escrowDir);
  const publisher = new ConfigPublisher<Data>({ name: NAME, privateKey: keys.privateKey, escrow });
  await publisher.start();
  await publisher.publish({ partners: [] });
  const world = join(dir, 'meridian.yaml');
  await writeFile(
    world,
    `zone: example.test
home: us-west-2
regions:
  us-west-2: { cidr: 10.10.0.0/16, address: 127.0.1.1 }
  eu-west-2: { cidr: 10.20.0.0/16, address: 127.0.2.1 }
hostnames:
  links: { workload: links, policy: latency, ttlSeconds: 5, answers: 1, whenAllDown: home }
services:
  links: { in: all, dependsOn: [{ service: config, kind: soft }] }
  config: { in: home, owns: [config-db] }
template:
  configSnapshot: ${NAME}
  knobs: { configPollMs: 1000 }
`,
  );
  await writeFile(join(dir, 'config-public.pem'), keys.publicKey);
  await writeFile(join(dir, 'session-keys'), `active 1\nkey 1 ${Buffer.alloc(32, 9).toString('base64')}\n`, {
    mode: 0o600,
  });
  await mkdir(join(dir, 'regions'), { recursive: true });
  const child = spawn(
    process.execPath,
    [
      join(ROOT, 'bin/meridian.js'),
      'region',
      world,
      '--name',
      'eu-west-2',
      '--home',
      'http://127.0.0.1:9', // nothing listens: home is away
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--data-dir',
      join(dir, 'regions'),
      '--escrow',
      escrowDir,
      '--config-public-key',
      join(dir, 'config-public.pem'),
      '--session-keys',
      join(dir, 'session-keys'),
      '--grace-ms',
      '0',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], cwd: dir },
  );
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  child.stderr.on('data', (d) => {
    out += d;
  });
  try {
    const deadline = Date.now() + 20_000;
    while (!/config v1 accepted/.test(out)) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`region did not warm:\n${out}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const key = snapshotKey(NAME, 2);
    await escrow.put(key, big);
    await escrow.put(pointerKey(NAME), pointerBytes(key));
    await new Promise((r) => setTimeout(r, 2_000));
    const logBefore = out.length;
    const t0 = await cpuTicks(child.pid!);
    const w0 = performance.now();
    await new Promise((r) => setTimeout(r, MEASURE_S * 1000));
    const ticks = (await cpuTicks(child.pid!)) - t0;
    const wallS = (performance.now() - w0) / 1000;
    const logLines = out
      .slice(logBefore)
      .split('\n')
      .filter((l) => /rejected/.test(l)).length;
    return {
      seconds: +wallS.toFixed(1),
      cpuSeconds: ticks / 100,
      'share of a core': `${((ticks / 100 / wallS) * 100).toFixed(1)} %`,
      rejectionLogLinesDuringMeasure: logLines,
    };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode !== null ? r(undefined) : child.once('exit', r)));
  }
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'meridian-bench-escrow-cpu-'));
  const keys = generateSigningKeys();
  const big = bigBadEnvelope(OBJECT_MB);
  const results: Record<string, unknown> = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: `${cpus().length} × ${cpus()[0]?.model ?? '?'}`,
    loadavgAtStart: loadavg()
      .map((l) => l.toFixed(2))
      .join(' '),
    objectBytes: big.length,
    polls: POLLS,
  };
  try {
    const escrow = directoryEscrowStore(join(dir, 'escrow'));
    await plant(escrow, keys.privateKey, big);
    results.directoryDefaultMaxBytes = await inProcess(escrow, keys.publicKey, undefined);
    results.directoryMaxBytes128MiB = await inProcess(escrow, keys.publicKey, 128 * 1024 * 1024);

    const s3 = await startS3rver('meridian-escrow');
    const wire = await startWireCounter(Number(new URL(s3.endpoint).port));
    const client = s3ClientFor(`http://127.0.0.1:${wire.port}`);
    try {
      const store = s3EscrowStore({ client, bucket: s3.bucket });
      await plant(store, keys.privateKey, big);
      for (const [label, maxBytes] of [
        ['s3DefaultMaxBytes', undefined],
        ['s3MaxBytes128MiB', 128 * 1024 * 1024],
      ] as const) {
        wire.reset();
        let warmUp = { requests: 0, bytesDown: 0 };
        const r = await inProcess(store, keys.publicKey, maxBytes, () => {
          warmUp = { requests: wire.counts.requests, bytesDown: wire.counts.bytesDown };
          wire.reset();
        });
        const c = wire.counts;
        results[label] = {
          outcomes: r.outcomes,
          rejectedEventsInWarmUp: r.rejectedEventsInWarmUp,
          rejectedEvents: r.rejectedEvents,
          warmUpTwoPolls: warmUp,
          requestsPerPoll: +(c.requests / POLLS).toFixed(2),
          statuses: Object.fromEntries(c.statuses),
          bytesDownPerPoll: Math.round(c.bytesDown / POLLS),
          'cpuMsPerPoll (includes s3rver in this process)': r.cpuMsPerPoll,
        };
      }
    } finally {
      client.destroy();
      await wire.close();
      await s3.close();
    }

    results.realRegionProcess = await realRegion(dir, keys, big);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  results.loadavgAtEnd = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  console.log(JSON.stringify(results, null, 2));
}

await main();
