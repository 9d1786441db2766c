// Finding 5 of issue 17: TCP queries answered for a legitimate client while DRIP slow clients are
// connected. Each drip connection sends one byte every 4 s of a message it never finishes, and
// reconnects 1 s after the server closes it (a persistent attacker). They come from SOURCES
// addresses 127.0.10.1, 127.0.10.2, … (so a per-address cap alone cannot make this easy). The
// legitimate client (127.0.0.2) opens a new connection each second and sends one A query: 45 in all,
// each given 3 s for its answer.
// Run: npm run build && npx tsx bench/dns-abuse/slow-drip.ts [DRIP=1000] [SOURCES=100]
import { execSync } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { startMeridianDns, tcpQuery } from './meridian-dns-process.js';

const DRIP = Number(process.argv[2] ?? 1000);
const SOURCES = Number(process.argv[3] ?? 100);
const LEGIT = 45;
const DRIP_EVERY_MS = 4000;
const RECONNECT_MS = 1000;

const load = () => execSync('uptime').toString().trim();
const dns = await startMeridianDns();
console.log(
  `meridian dns pid ${dns.pid} on 127.0.0.1:${dns.dnsPort}; ulimit -n ${execSync('ulimit -n', { shell: '/bin/bash' }).toString().trim()}; ${load()}`,
);

let stopping = false;
let connects = 0;
let refusedOrClosed = 0;
let failedConnects = 0;
const open = new Set<Socket>();
const openSamples: number[] = [];

/** One drip client: 2-byte length 512, then one byte of the body every DRIP_EVERY_MS. */
function drip(source: string): void {
  if (stopping) return;
  const s = connect({ port: dns.dnsPort, host: '127.0.0.1', localAddress: source });
  let timer: NodeJS.Timeout | null = null;
  let connected = false;
  s.on('error', () => {});
  s.on('connect', () => {
    connected = true;
    connects++;
    open.add(s);
    s.write(Buffer.from([0x02])); // first byte of the length prefix (0x0200 = 512)
    let sent = 1;
    timer = setInterval(() => {
      s.write(Buffer.from([sent === 1 ? 0x00 : 0x41]));
      sent++;
    }, DRIP_EVERY_MS);
  });
  s.on('close', () => {
    if (timer) clearInterval(timer);
    open.delete(s);
    if (connected) refusedOrClosed++;
    else failedConnects++;
    if (!stopping) setTimeout(() => drip(source), RECONNECT_MS).unref();
  });
}

const t0 = performance.now();
for (let i = 0; i < DRIP; i++) {
  drip(`127.0.10.${(i % SOURCES) + 1}`);
  if (i % 100 === 99) await new Promise((r) => setTimeout(r, 50));
}
// let every drip connection land (or be turned away) before the legitimate client starts
await new Promise((r) => setTimeout(r, 5000));
const sampler = setInterval(() => openSamples.push(open.size), 1000);
const loadAtStart = load();
const openAtStart = open.size;

/** One legitimate query on a fresh connection from 127.0.0.2; true when answered within 3 s. */
function legit(id: number): Promise<{ ok: boolean; ms: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const s = connect({ port: dns.dnsPort, host: '127.0.0.1', localAddress: '127.0.0.2' });
    let got = Buffer.alloc(0);
    const finish = (ok: boolean) => {
      clearTimeout(timer);
      s.destroy();
      resolve({ ok, ms: performance.now() - started });
    };
    const timer = setTimeout(() => finish(false), 3000);
    s.on('error', () => {});
    s.on('connect', () => s.write(tcpQuery(id, 'links.example.test', 1)));
    s.on('data', (d: Buffer) => {
      got = Buffer.concat([got, d]);
      if (got.length >= 4 && got.length >= 2 + got.readUInt16BE(0) && got.readUInt16BE(2) === id)
        finish(true);
    });
    s.on('close', () => finish(false));
  });
}

const results: Array<Promise<{ ok: boolean; ms: number }>> = [];
for (let i = 0; i < LEGIT; i++) {
  results.push(legit(0x4000 + i));
  await new Promise((r) => setTimeout(r, 1000));
}
const legitResults = await Promise.all(results);
clearInterval(sampler);
const loadAtEnd = load();
const metrics = await dns.metrics('meridian_dns_tcp');
const counts = { connects, refusedOrClosed, failedConnects };
stopping = true;
for (const s of open) s.destroy();
await dns.stop();

const answered = legitResults.filter((r) => r.ok);
const ms = answered.map((r) => r.ms).sort((a, b) => a - b);
openSamples.sort((a, b) => a - b);
console.log(
  JSON.stringify(
    {
      drip: DRIP,
      sources: SOURCES,
      seconds: ((performance.now() - t0) / 1000).toFixed(0),
      legitAnswered: `${answered.length}/${LEGIT} (${((100 * answered.length) / LEGIT).toFixed(1)} %)`,
      legitMsMedian: ms.length ? ms[Math.floor(ms.length / 2)]!.toFixed(1) : null,
      dripOpenWhenLegitStarted: openAtStart,
      dripOpenDuringLegit: {
        min: openSamples[0],
        median: openSamples[Math.floor(openSamples.length / 2)],
        max: openSamples.at(-1),
      },
      dripConnectsAccepted: counts.connects,
      dripClosedByServer: counts.refusedOrClosed,
      dripConnectFailures: counts.failedConnects,
      loadAtStart,
      loadAtEnd,
      metrics,
    },
    null,
    2,
  ),
);
