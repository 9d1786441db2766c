// Reload is off the answer path: while a large world file is read, linted and resolved (valid,
// then broken), the GSLB keeps answering UDP queries; the valid one then takes effect, and the
// broken one is refused with the previous world still answering.
import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as packet from 'dns-packet';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Probe } from '../monitor/index.js';
import { Gslb, RELOAD_ERRORS_LISTED } from './gslb.js';

const NETWORKS = 5_000;
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** A world with NETWORKS networks; `home` is the address `api` (policy home) answers. */
function world(homeAddress: string): string {
  return `zone: example.test
home: us-west-2
regions:
  us-west-2: { cidr: 10.10.0.0/16, address: ${homeAddress} }
  eu-west-2: { cidr: 10.20.0.0/16, address: 127.0.2.1 }
hostnames:
  api: { workload: relay, policy: home }
  links: { workload: links, policy: latency }
services:
  relay: { in: home }
  links: { in: all }
networks:
${range(NETWORKS)
  .map(
    (i) =>
      `  - { name: n${i}, cidr: 100.${64 + (i >> 8)}.${i & 255}.0/24, location: { lat: ${i % 80}, lon: 1 } }`,
  )
  .join('\n')}
`;
}

/** The same world with NETWORKS hostnames naming workloads nobody declared. */
function brokenWorld(): string {
  return world('127.0.1.9').replace(
    'hostnames:\n',
    `hostnames:\n${range(NETWORKS)
      .map((i) => `  h${i}: { workload: missing${i} }`)
      .join('\n')}\n`,
  );
}

const alwaysUp: Probe = { check: async () => ({ ok: true, durationMs: 0 }) };

let dir: string;
let file: string;
let gslb: Gslb;
let client: Socket;
/** Every answer received: when, and the A record it carried. */
const answers: { at: number; address: string | null }[] = [];

function put(text: string): void {
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'meridian-gslb-reload-'));
  file = join(dir, 'meridian.yaml');
  put(world('127.0.1.1'));
  gslb = new Gslb({
    worldPath: file,
    listen: { host: '127.0.0.1', port: 0 },
    admin: null,
    watch: false,
    probe: alwaysUp,
    logger: pino({ level: 'silent' }),
  });
  await gslb.start();
  client = createSocket('udp4');
  client.on('message', (msg) => {
    const a = packet.decode(msg).answers?.find((x) => x.type === 'A');
    answers.push({ at: performance.now(), address: a ? String((a as { data: unknown }).data) : null });
  });
}, 120_000);

afterAll(async () => {
  client?.close();
  await gslb?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/**
 * Runs `reload` while a client sends a query for api.example.test every millisecond (at most
 * 200 000 in all); returns its result and the answers received before it settled.
 */
async function reloadUnderQueries<T>(reload: () => T | Promise<T>): Promise<{ result: T; during: number }> {
  const query = packet.encode({ type: 'query', id: 7, questions: [{ type: 'A', name: 'api.example.test' }] });
  let sent = 0;
  const timer = setInterval(() => {
    if (sent++ < 200_000) client.send(query, gslb.dnsPort, '127.0.0.1');
  }, 1);
  try {
    const from = performance.now();
    const result = await reload();
    const to = performance.now();
    return { result, during: answers.filter((a) => a.at >= from && a.at <= to).length };
  } finally {
    clearInterval(timer);
  }
}

async function answerNow(): Promise<string | null> {
  const before = answers.length;
  const query = packet.encode({ type: 'query', id: 8, questions: [{ type: 'A', name: 'api.example.test' }] });
  const deadline = Date.now() + 10_000;
  while (answers.length === before && Date.now() < deadline) {
    client.send(query, gslb.dnsPort, '127.0.0.1');
    await new Promise((r) => setTimeout(r, 20));
  }
  return answers.at(-1)?.address ?? null;
}

describe('reloading a large world file', () => {
  it('keeps answering while a valid world loads, then answers from it', async () => {
    expect(await answerNow()).toBe('127.0.1.1');
    put(world('127.0.1.9'));
    const { result, during } = await reloadUnderQueries(() => gslb.reload('test'));
    expect(result).toMatchObject({ ok: true });
    // answers kept coming while the file was read, linted and resolved
    expect(during).toBeGreaterThanOrEqual(10);
    expect(await answerNow()).toBe('127.0.1.9');
  }, 120_000);

  it('keeps answering while a broken world is linted, refuses it and keeps the previous one', async () => {
    put(brokenWorld());
    const { result, during } = await reloadUnderQueries(() => gslb.reload('test'));
    expect(result.ok).toBe(false);
    // the first RELOAD_ERRORS_LISTED errors, then how many more (meridian lint lists them all)
    expect(result.errors).toHaveLength(RELOAD_ERRORS_LISTED + 1);
    expect(result.errors?.[0]).toMatch(/unknown-reference hostnames\.h0\.workload/);
    expect(result.errors?.at(-1)).toBe(
      `… and ${NETWORKS - RELOAD_ERRORS_LISTED} more; \`meridian lint ${file}\` lists every one`,
    );
    expect(during).toBeGreaterThanOrEqual(10);
    expect(await answerNow()).toBe('127.0.1.9');
  }, 120_000);
});
