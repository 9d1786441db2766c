// `meridian dns examples/world.yaml` as a child process on 127.0.0.1 port 0, for the abuse benches:
// its DNS and admin ports, its RSS, its /metrics, and a clean stop.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface MeridianDns {
  pid: number;
  dnsPort: number;
  adminPort: number;
  /** Resident set size in MB, from /proc/PID/status. */
  rssMb(): number;
  /** The admin API's /metrics lines that start with `prefix`. */
  metrics(prefix: string): Promise<string[]>;
  /** The last lines the process wrote to stderr (why it died, say). */
  stderrTail(): string;
  stop(): Promise<void>;
}

/** Starts bin/meridian.js (run `npm run build` first) with extra flags; resolves once it listens. */
export async function startMeridianDns(extra: string[] = []): Promise<MeridianDns> {
  const args = [
    'bin/meridian.js',
    'dns',
    'examples/world.yaml',
    '--listen',
    '127.0.0.1:0',
    '--admin',
    '127.0.0.1:0',
    '--no-watch',
    '--log-level',
    'info',
    ...extra,
  ];
  const child: ChildProcess = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => {
    if (out.length < 1 << 20) out += d.toString();
  });
  child.stderr!.on('data', (d: Buffer) => {
    if (err.length < 1 << 20) err += d.toString();
  });
  const deadline = Date.now() + 20_000;
  let dnsPort = 0;
  let adminPort = 0;
  while (!dnsPort || !adminPort) {
    if (Date.now() > deadline || child.exitCode !== null)
      throw new Error(`meridian dns did not start:\n${err}\n${out.slice(0, 2000)}`);
    dnsPort = Number(/serving \S+ on [\d.]+:(\d+)/.exec(err)?.[1] ?? 0);
    adminPort = Number(/"admin":"127\.0\.0\.1:(\d+)"/.exec(out)?.[1] ?? 0);
    await new Promise((r) => setTimeout(r, 50));
  }
  const pid = child.pid!;
  return {
    pid,
    dnsPort,
    adminPort,
    rssMb() {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      return m ? Number(m[1]) / 1024 : Number.NaN;
    },
    async metrics(prefix) {
      const res = await fetch(`http://127.0.0.1:${adminPort}/metrics`);
      return (await res.text()).split('\n').filter((l) => l.startsWith(prefix));
    },
    stderrTail: () => err.trim().split('\n').slice(-6).join('\n'),
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** A DNS query (RD clear) for `name` and `qtype`, framed for TCP (2-byte length first). */
export function tcpQuery(id: number, name: string, qtype: number): Buffer {
  const labels = name.split('.').filter(Boolean);
  const qname = Buffer.concat([
    ...labels.map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, 'latin1')])),
    Buffer.from([0]),
  ]);
  const msg = Buffer.alloc(12 + qname.length + 4);
  msg.writeUInt16BE(id & 0xffff, 0);
  msg.writeUInt16BE(1, 4); // QDCOUNT
  qname.copy(msg, 12);
  msg.writeUInt16BE(qtype, 12 + qname.length);
  msg.writeUInt16BE(1, 14 + qname.length); // IN
  const framed = Buffer.alloc(2 + msg.length);
  framed.writeUInt16BE(msg.length, 0);
  msg.copy(framed, 2);
  return framed;
}
