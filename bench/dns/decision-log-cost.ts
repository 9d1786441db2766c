// The decision log's cost on the answer path alone (no sockets): DnsEngine.handle on the same
// query packets with the log on and off, alternating rounds in ONE process, CPU time from
// process.cpuUsage. Socket I/O dominates a real server's cost, so the ratio here is the worst
// case; bench/dns/instructions.sh (SERVERS="meridian meridian-nolog") measures the real server.
// Usage: tsx bench/dns/decision-log-cost.ts [queries per round, 200000] [rounds, 6]
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as packet from 'dns-packet';
import { DnsEngine, DnsQuery } from '../../src/dns/index.js';
import { uniformHealthTable } from '../../src/health-table/index.js';
import { loadWorld } from '../../src/world/io/index.js';

const N = Number(process.argv[2] ?? 200_000);
const ROUNDS = Number(process.argv[3] ?? 6);
const world = loadWorld(join(dirname(fileURLToPath(import.meta.url)), 'world.yaml'));
const health = uniformHealthTable(
  world.regions.map((r) => r.name),
  'up',
);
const ecs = (ip: string) => ({
  type: 'OPT',
  name: '.',
  udpPayloadSize: 1232,
  options: [{ code: 'CLIENT_SUBNET', ip, sourcePrefixLength: 24 }],
});
const query = (name: string, extra: unknown[] = []) =>
  packet.encode({
    type: 'query',
    id: 7,
    questions: [{ type: 'A', name }],
    additionals: extra as packet.Answer[],
  });
// the instructions.sh mix: no ECS (unlocated: the /24 top-K), ECS of a network, failover
const cases = {
  links: query('links.example.test'),
  'links+ecs': query('links.example.test', [ecs('198.51.100.0')]),
  'links-fo': query('links-fo.example.test'),
  // many unlocated /24s (the top-K's eviction path)
  'links+ecs-spread': null,
} as const;
const spread = Array.from({ length: 4096 }, (_, i) =>
  query('links.example.test', [ecs(`100.${64 + (i >> 8)}.${i & 255}.0`)]),
);
const client = { family: 4 as const, bytes: Uint8Array.of(127, 0, 0, 1) };
const engines = {
  on: new DnsEngine({ world, health }),
  off: new DnsEngine({ world, health, decisionLog: false }),
};
const q = new DnsQuery();

function round(engine: DnsEngine, name: keyof typeof cases): number {
  const p = cases[name];
  const t0 = process.cpuUsage();
  if (p) for (let i = 0; i < N; i++) engine.handle(q, p, client, 'udp');
  else for (let i = 0; i < N; i++) engine.handle(q, spread[i & 4095]!, client, 'udp');
  const t = process.cpuUsage(t0);
  return N / ((t.user + t.system) / 1e6);
}

const results: Record<string, { on: number[]; off: number[] }> = {};
for (const name of Object.keys(cases) as (keyof typeof cases)[]) {
  results[name] = { on: [], off: [] };
  round(engines.on, name); // warm
  round(engines.off, name);
  for (let r = 0; r < ROUNDS; r++) {
    // alternate which goes first
    const order = r % 2 ? (['off', 'on'] as const) : (['on', 'off'] as const);
    for (const side of order) results[name]![side].push(round(engines[side], name));
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
console.log(
  `decision log cost, answer path only: ${N} queries × ${ROUNDS} rounds each side (median queries per CPU-second)`,
);
for (const [name, r] of Object.entries(results)) {
  const on = median(r.on);
  const off = median(r.off);
  console.log(
    `${name.padEnd(18)} on ${on.toFixed(0).padStart(9)}  off ${off.toFixed(0).padStart(9)}  on/off ${(on / off).toFixed(3)}`,
  );
}
