// fuzz.ts - at least 1 M random and mutated packets (bit flips, truncations, bad counts and
// lengths, compression loops, oversized names, noise) against a running `meridian dns` process,
// by UDP and TCP. Checks after every batch that it still answers a real query, and reports
// its RSS along the way. Usage: npx tsx bench/dns/fuzz.ts [COUNT] (default 1 000 000).
// Needs `npm run build` (runs bin/meridian.js). Only 127.0.0.1 is used.
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as packet from 'dns-packet';
import { fuzzPackets } from '../../src/dns/test-support/fuzz-packets.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const COUNT = Number(process.argv[2] ?? 1_000_000);
const BATCH = 100;

const child = spawn(
  process.execPath,
  [
    join(root, 'bin/meridian.js'),
    'dns',
    join(here, 'world.yaml'),
    '--listen',
    '127.0.0.1:0',
    '--admin',
    'off',
    '--no-watch',
    '--log-level',
    'warn',
  ],
  { stdio: ['ignore', 'ignore', 'pipe'] },
);
let exited: number | null = null;
child.on('exit', (code, signal) => {
  exited = code ?? (signal ? 128 : 0);
});
const port = await new Promise<number>((resolve, reject) => {
  let err = '';
  child.stderr.on('data', (d: Buffer) => {
    err += d.toString();
    const m = /serving \S+ on 127\.0\.0\.1:(\d+)/.exec(err);
    if (m) resolve(Number(m[1]));
  });
  setTimeout(() => reject(new Error(`server did not start: ${err}`)), 20_000).unref();
});

const rssKb = () =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0);
const sock = createSocket('udp4');
sock.setMaxListeners(50);
let replies = 0;
sock.on('message', () => replies++);
await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));

let probeId = 0;
async function alive(): Promise<boolean> {
  for (let attempt = 0; attempt < 20; attempt++) {
    probeId = (probeId + 1) & 0xffff;
    const id = probeId;
    const q = packet.encode({ type: 'query', id, questions: [{ type: 'A', name: 'links-fo.example.test' }] });
    const ok = await new Promise<boolean>((resolve) => {
      const t = setTimeout(() => {
        sock.off('message', on);
        resolve(false);
      }, 500);
      const on = (m: Buffer) => {
        if (m.length >= 12 && m.readUInt16BE(0) === id && (m[2]! & 0x80) !== 0) {
          clearTimeout(t);
          sock.off('message', on);
          resolve(true);
        }
      };
      sock.on('message', on);
      sock.send(q, port, '127.0.0.1');
    });
    if (ok) return true;
  }
  return false;
}

const started = Date.now();
const rss0 = rssKb();
const rssSeen: number[] = [];
let sent = 0;
let failures = 0;
const gen = fuzzPackets(Number(process.env.SEED ?? 7), COUNT);
for (;;) {
  let batch = 0;
  for (let n = gen.next(); !n.done; n = gen.next()) {
    sock.send(n.value, port, '127.0.0.1');
    sent++;
    if (++batch >= BATCH) break;
  }
  if (batch === 0) break;
  if (!(await alive())) {
    failures++;
    if (exited !== null || failures > 3) break;
  }
  if (sent % 100_000 === 0) {
    rssSeen.push(rssKb());
    process.stderr.write(
      `${sent} sent, rss ${rssSeen.at(-1)} kB, ${((Date.now() - started) / 1000).toFixed(0)} s\n`,
    );
  }
}
// TCP: 2 000 connections of mutated framed packets, some with lying lengths, some half-sent
let tcpConns = 0;
const tcpGen = fuzzPackets(11, 20_000);
for (let c = 0; c < 2_000 && exited === null; c++) {
  const frames: Buffer[] = [];
  for (let k = 0; k < 10; k++) {
    const n = tcpGen.next();
    if (n.done) break;
    const f = Buffer.alloc(2 + n.value.length);
    f.writeUInt16BE(c % 7 === 0 ? 65_535 : n.value.length, 0);
    n.value.copy(f, 2);
    frames.push(f);
  }
  const data = Buffer.concat(frames);
  await new Promise<void>((resolve) => {
    const s = connect(port, '127.0.0.1', () => {
      if (c % 5 === 0) s.end(data.subarray(0, Math.floor(data.length / 2)));
      else s.end(data);
    });
    s.on('data', () => {});
    s.on('close', () => resolve());
    s.on('error', () => resolve());
  });
  tcpConns++;
}
const finalAlive = await alive();
const rss1 = rssKb();
const exitedDuringRun = exited;
sock.close();
child.kill('SIGTERM');
await new Promise((r) => setTimeout(r, 200));
const report = {
  udpPacketsSent: sent,
  tcpConnections: tcpConns,
  repliesReceived: replies,
  livenessFailures: failures,
  serverExitedDuringRun: exitedDuringRun,
  answersAfterwards: finalAlive,
  rssKbStart: rss0,
  rssKbEvery100k: rssSeen,
  rssKbEnd: rss1,
  seconds: Math.round((Date.now() - started) / 1000),
};
console.log(JSON.stringify(report, null, 2));
process.exitCode = failures === 0 && exitedDuringRun === null && finalAlive ? 0 : 1;
