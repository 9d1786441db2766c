// Finding 1 of issue 17: RSS of `meridian dns` while ONE TCP client pipelines ANY queries for 20 s
// and never reads an answer (it reconnects if the server closes it), then 15 s after it closes.
// Run: npm run build && npx tsx bench/dns-abuse/pipeline-rss.ts [SECONDS=20] [read]
// With `read`, the same client reads (and drops) every answer: the control, a well-behaved client
// pipelining as fast as it can. Stops early (and says so) if the server's RSS passes 3 GB.
import { execSync } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { startMeridianDns, tcpQuery } from './meridian-dns-process.js';

const SECONDS = Number(process.argv[2] ?? 20);
const READ = process.argv[3] === 'read';
const AFTER_S = 15;
const RSS_CEILING_MB = 3072;
const ANY = 255;

const load = () => execSync('uptime').toString().trim();
const dns = await startMeridianDns();
console.log(`meridian dns pid ${dns.pid} on 127.0.0.1:${dns.dnsPort}; ${load()}`);
const samples: Array<{ t: number; rss: number }> = [];
const t0 = performance.now();
const sample = () => samples.push({ t: (performance.now() - t0) / 1000, rss: dns.rssMb() });

// settle: start-up garbage and the first health probes
for (let i = 0; i < 10; i++) {
  sample();
  await new Promise((r) => setTimeout(r, 200));
}
const baseline = samples.at(-1)!.rss;

// 1,000 framed ANY queries per write (about 36 KB)
const batch = Buffer.concat(Array.from({ length: 1000 }, (_, i) => tcpQuery(i, 'links.example.test', ANY)));
const perQuery = batch.length / 1000;
let written = 0;
let connects = 0;
let serverCloses = 0;
let stop = false;
let sock: Socket | null = null;
let aborted = '';
let answerBytesRead = 0;

const attackStart = performance.now();
const ticker = setInterval(() => {
  sample();
  if (samples.at(-1)!.rss > RSS_CEILING_MB && !aborted) {
    aborted = `RSS passed ${RSS_CEILING_MB} MB after ${((performance.now() - attackStart) / 1000).toFixed(1)} s`;
    stop = true;
  }
}, 200);

async function pipeline(): Promise<void> {
  while (!stop) {
    const s = connect({ port: dns.dnsPort, host: '127.0.0.1' });
    sock = s;
    let answerBytes = 0;
    if (READ) s.on('data', (d: Buffer) => (answerBytes += d.length));
    else s.pause(); // never read an answer
    s.on('close', () => (answerBytesRead += answerBytes));
    let closed = false;
    s.on('error', () => {});
    s.on('close', () => {
      closed = true;
    });
    await new Promise<void>((resolve) => {
      s.once('connect', () => resolve());
      s.once('close', () => resolve());
    });
    if (closed) continue;
    connects++;
    while (!stop && !closed) {
      if (s.write(batch)) {
        written += batch.length;
        continue;
      }
      written += batch.length;
      // our own send buffer is full: wait for it to drain, the server to close us, or the end
      await new Promise<void>((resolve) => {
        const done = () => {
          clearInterval(poll);
          s.off('drain', done);
          s.off('close', done);
          resolve();
        };
        const poll = setInterval(() => stop && done(), 100);
        s.once('drain', done);
        s.once('close', done);
      });
    }
    if (closed && !stop) serverCloses++;
  }
}

const running = pipeline();
await new Promise((r) => setTimeout(r, SECONDS * 1000));
stop = true;
await running;
const attackEnd = performance.now();
const atClose = dns.rssMb();
const peak = Math.max(...samples.map((s) => s.rss));
(sock as Socket | null)?.destroy();
const loadAtClose = load();
const after: Array<{ s: number; rss: number }> = [];
for (let i = 1; i <= AFTER_S; i++) {
  await new Promise((r) => setTimeout(r, 1000));
  sample();
  after.push({ s: i, rss: dns.rssMb() });
}
clearInterval(ticker);
const metrics = await dns.metrics('meridian_dns_');
await dns.stop();

const mb = (x: number) => `${x.toFixed(0)} MB`;
console.log(
  JSON.stringify(
    {
      client: READ ? 'reads every answer (control)' : 'never reads',
      seconds: ((attackEnd - attackStart) / 1000).toFixed(1),
      aborted: aborted || null,
      baseline: mb(baseline),
      peak: mb(peak),
      growth: mb(peak - baseline),
      duringEverySecond: samples
        .filter((_, i) => i >= 10 && i % 5 === 0)
        .map((x) => x.rss.toFixed(0))
        .join(' '),
      atClose: mb(atClose),
      after: after.map((a) => `${a.s}s ${mb(a.rss)}`).join(', '),
      tenSecondsAfterClose: mb(after[9]?.rss ?? Number.NaN),
      queriesWritten: Math.floor(written / perQuery),
      answerBytesRead,
      connects,
      serverCloses,
      loadAtClose,
      metrics: metrics.filter((l) => /tcp|queries_total/.test(l)),
    },
    null,
    2,
  ),
);
