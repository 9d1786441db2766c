// The GSLB with its real health monitor: /healthz going down and back, drain via the admin API,
// rollout overrides, explain, metrics, and reload under query load (nothing dropped or wrong).
import { createSocket } from 'node:dgram';
import { readFileSync, writeFileSync } from 'node:fs';
import * as packet from 'dns-packet';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digShort, type E2e, startE2e, until } from './test-support/e2e-world.js';

let e: E2e;
const TOKEN = 'gslb-e2e-admin-token-0123456789';
const cape = ['links.example.test', '+subnet=203.0.113.0/24'];

beforeAll(async () => {
  e = await startE2e({ adminToken: TOKEN });
  await until('all regions up', async () => e.gslb.monitor.table().regions.every((r) => r.serving));
});

afterAll(async () => {
  await e?.stop();
});

const admin = (path: string, init: RequestInit = {}) =>
  fetch(`${e.adminUrl}${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${TOKEN}`,
      'content-type': 'application/json',
      ...(init.headers ?? {}),
    },
  });

describe('meridian dns with live health', () => {
  it('a region whose /healthz fails stops being answered, and is answered again when it recovers', async () => {
    expect(await digShort(e.port, cape)).toEqual(['127.0.3.1']);
    e.health[2]!.healthy = false;
    await until(
      'cape town moved off af-south-1',
      async () => (await digShort(e.port, cape))[0] === '127.0.2.1',
    );
    e.health[2]!.healthy = true;
    await until(
      'cape town back on af-south-1',
      async () => (await digShort(e.port, cape))[0] === '127.0.3.1',
    );
  });

  it('a region that stops listening altogether is taken out too', async () => {
    await e.health[1]!.stop();
    const london = ['links.example.test', '+subnet=198.51.100.0/24'];
    await until(
      'london moved off eu-west-2',
      async () => (await digShort(e.port, london))[0] !== '127.0.2.1',
    );
    expect(await digShort(e.port, london)).toEqual(['127.0.1.1']);
    // restart on the same port the world file names
    await e.health[1]!.start(e.health[1]!.port);
    await until('london back on eu-west-2', async () => (await digShort(e.port, london))[0] === '127.0.2.1');
  });

  it('drain and undrain through the admin API (bearer token required)', async () => {
    const noToken = await fetch(`${e.adminUrl}/v1/regions/af-south-1/drain`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(noToken.status).toBe(401);
    const r = await admin('/v1/regions/af-south-1/drain', { method: 'POST', body: '{}' });
    expect(r.status).toBe(200);
    expect(await digShort(e.port, cape)).toEqual(['127.0.2.1']);
    const state = (await (await admin('/v1/state')).json()) as {
      regions: { name: string; drained: boolean; state: string }[];
    };
    expect(state.regions.find((x) => x.name === 'af-south-1')).toMatchObject({ drained: true, state: 'up' });
    expect((await admin('/v1/regions/atlantis/drain', { method: 'POST', body: '{}' })).status).toBe(404);
    await admin('/v1/regions/af-south-1/undrain', { method: 'POST', body: '{}' });
    expect(await digShort(e.port, cape)).toEqual(['127.0.3.1']);
  });

  it('PUT rollout: 0 % keeps every client off the region, 100 % puts them all on', async () => {
    const put = (body: unknown) =>
      admin('/v1/hostnames/links/rollout', { method: 'PUT', body: JSON.stringify(body) });
    expect((await put({ region: 'af-south-1', percent: 0 })).status).toBe(200);
    expect(await digShort(e.port, cape)).toEqual(['127.0.2.1']);
    expect((await put({ region: 'af-south-1', percent: 100 })).status).toBe(200);
    expect(await digShort(e.port, cape)).toEqual(['127.0.3.1']);
    expect((await put({ region: 'af-south-1', percent: 101 })).status).toBe(400);
    expect((await put({ region: 'atlantis', percent: 1 })).status).toBe(400);
    expect((await put({ rollout: null })).status).toBe(200);
  });

  it('GET /v1/explain and GET /metrics', async () => {
    const ex = (await (await admin('/v1/explain?name=links&client=203.0.113.9')).json()) as {
      regions: string[];
      stages: unknown[];
    };
    expect(ex.regions).toEqual(['af-south-1']);
    expect(ex.stages).toHaveLength(5);
    expect((await admin('/v1/explain?name=nope&client=1.2.3.4')).status).toBe(404);
    const metrics = await (await admin('/metrics')).text();
    expect(metrics).toMatch(/meridian_dns_queries_total\{rcode="NOERROR"\} [1-9]/);
    expect(metrics).toMatch(
      /meridian_dns_answers_total\{hostname="links.example.test",region="af-south-1"\} [1-9]/,
    );
    expect(metrics).toContain('meridian_monitor_probes_total');
    expect(metrics).toContain('meridian_dns_udp_dropped_total{reason="source_port_0"} 0');
    expect(metrics).toContain('meridian_dns_tcp_closed_total{reason="per_client_limit"} 0');
    expect(metrics).toMatch(/meridian_dns_tcp_connections \d+/);
  });

  it('an invalid world file keeps the old one serving and reports why', async () => {
    const original = readFileSync(e.worldPath, 'utf8');
    writeFileSync(e.worldPath, original.replace('home: us-west-2', 'home: atlantis'));
    const r = await e.gslb.reload('test');
    expect(r.ok).toBe(false);
    expect(r.errors?.join('\n')).toMatch(/atlantis/);
    // polled: under load a 100 ms probe may flip af-south-1 for a moment (fall 1); the old
    // world must still be the one answering once it is back
    await until(
      'the old world still answers Cape Town from af-south-1',
      async () => (await digShort(e.port, cape))[0] === '127.0.3.1',
    );
    writeFileSync(e.worldPath, original);
    expect((await e.gslb.reload('test')).ok).toBe(true);
  });
});

describe('reload', () => {
  it('under query load: every query answered, correctly, before and after each swap', async () => {
    // slow, forgiving probes: a loaded machine must not flip health during this test
    const r = await startE2e({
      healthYaml: '{ path: /healthz, intervalMs: 200, timeoutMs: 3000, rise: 1, fall: 5 }',
    });
    try {
      await until('all regions up', async () => r.gslb.monitor.table().regions.every((x) => x.serving));
      await reloadUnderLoad(r);
    } finally {
      await r.stop();
    }
  });
});

async function reloadUnderLoad(e: E2e): Promise<void> {
  const version = e.gslb.monitor.table().version;
  const sock = createSocket('udp4');
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  const answers = new Map<number, string[]>();
  sock.on('message', (m) => {
    const d = packet.decode(m);
    answers.set(
      d.id ?? -1,
      (d.answers ?? []).map((a) => String((a as { data: unknown }).data)),
    );
  });
  const total = 3000;
  const original = readFileSync(e.worldPath, 'utf8');
  // the new world differs only in a new hostname: links must keep answering af-south-1
  const changed = original.replace('hostnames:\n', 'hostnames:\n  extra: { workload: links }\n');
  let sent = 0;
  let reloads = 0;
  while (sent < total) {
    for (let k = 0; k < 100; k++, sent++) {
      const q = packet.encode({
        type: 'query',
        id: sent,
        questions: [{ type: 'A', name: 'links.example.test' }],
        additionals: [
          {
            type: 'OPT',
            name: '.',
            udpPayloadSize: 1232,
            options: [{ code: 'CLIENT_SUBNET', ip: '203.0.113.0', sourcePrefixLength: 24 }],
          } as unknown as packet.Answer,
        ],
      });
      sock.send(q, e.port, '127.0.0.1');
    }
    writeFileSync(e.worldPath, reloads % 2 === 0 ? changed : original);
    expect((await e.gslb.reload('test')).ok).toBe(true);
    reloads++;
    await until('this batch answered', async () => answers.size >= sent, 10_000);
  }
  sock.close();
  expect(reloads).toBeGreaterThan(20);
  expect(answers.size).toBe(total);
  const wrong = [...answers.values()].filter((a) => a.length !== 1 || a[0] !== '127.0.3.1');
  expect(wrong).toEqual([]);
  expect(e.gslb.monitor.table().version).toBe(version);
}

describe('query log', () => {
  it('logs one structured line per query when enabled', async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = pino({ level: 'info' }, { write: (s: string) => lines.push(JSON.parse(s)) });
    const q = await startE2e({ queryLog: true, logger });
    try {
      await digShort(q.port, ['Links.example.test', '+subnet=203.0.113.0/24']);
      await digShort(q.port, ['nope.example.test']);
      const queries = lines.filter((l) => l.event === 'meridian:dns:query');
      expect(queries).toEqual([
        expect.objectContaining({
          name: 'Links.example.test.',
          qtype: 1,
          ecs: '203.0.113.0/24',
          rcode: 'NOERROR',
          transport: 'udp',
        }),
        expect.objectContaining({ name: 'nope.example.test.', rcode: 'NXDOMAIN' }),
      ]);
      expect(lines.some((l) => l.event === 'meridian:gslb:started')).toBe(true);
    } finally {
      await q.stop();
    }
  });
});
