// `meridian up` in small, with fake programs standing in for the GSLB and the regions: the
// order of start-up, users through links, a region-down drill, its report, and a clean stop.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { lintWorldText, type World } from '../../world/index.js';
import { LabWorld, type LabWorldOptions } from './lab-world.js';
import { freePort } from './test-support/free-port.js';

const dir = mkdtempSync(join(tmpdir(), 'meridian-lab-world-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const GSLB = fileURLToPath(new URL('./test-support/fake-gslb-program.mjs', import.meta.url));
const REGION = fileURLToPath(new URL('./test-support/fake-region-program.mjs', import.meta.url));

/** A port the kernel just handed out on `host` (released again for the program to take). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** Two regions on 127.0.2.1/127.0.3.1 (the fake GSLB's answers) with users in London. */
function twoRegionWorld(east: number, west: number, rps: number): string {
  return `zone: example.test
home: us-east-1
regions:
  us-east-1: { cidr: 10.11.0.0/16, address: 127.0.2.1, port: ${east} }
  eu-west-2: { cidr: 10.20.0.0/16, address: 127.0.3.1, port: ${west} }
hostnames:
  links: { workload: links, policy: latency, ttlSeconds: 1, answers: 2 }
services:
  links: { in: all }
networks:
  - { name: london, cidr: 198.51.100.0/24, cloudRegion: eu-west-2 }
lab:
  users: { london: { rps: ${rps} } }
`;
}

function newLab(
  world: World,
  east: number,
  sinks: { controlCalls: string[]; reports: string[]; frames: string[] },
  overrides: Partial<LabWorldOptions> = {},
): LabWorld {
  const { controlCalls, reports, frames } = sinks;
  return new LabWorld({
    world,
    worldFile: 'test.yaml',
    logDir: join(dir, 'logs'),
    reportDir: join(dir, 'reports'),
    stateFile: join(dir, 'up.json'),
    reportLeadMs: 500,
    reportTailMs: 500,
    maxJourneysPerPopulation: 60,
    programs: {
      gslb: ({ dnsPort }) => ({
        name: 'gslb',
        script: GSLB,
        env: {
          MERIDIAN_DNS_PORT: String(dnsPort),
          FAKE_GSLB_ADDRESSES: '127.0.3.1,127.0.2.1',
          FAKE_GSLB_TTL: '1',
        },
      }),
      home: () => [],
      region: (name, homeUrl) => {
        const r = world.regions.find((x) => x.name === name)!;
        return {
          name: `region-${name}`,
          script: REGION,
          env: {
            MERIDIAN_REGION: name,
            MERIDIAN_LISTEN_HOST: r.address,
            MERIDIAN_LISTEN_PORT: String(r.port),
            MERIDIAN_HOME_URL: homeUrl(east),
          },
        };
      },
    },
    control: {
      setDrained: async (r, d) => void controlCalls.push(`drain ${r} ${d}`),
      setRollout: async (r, p) => void controlCalls.push(`rollout ${r} ${p}`),
      setConfigSource: async (m) => void controlCalls.push(`config ${m}`),
    },
    onReport: (p) => reports.push(p.html),
    liveOut: { write: (t: string) => frames.push(t) },
    ...overrides,
  });
}

describe('LabWorld', () => {
  it('brings the world up, keeps users served through a region-down drill, reports it, and stops cleanly', async () => {
    const [east, west] = [await freePort('127.0.2.1'), await freePort('127.0.3.1')];
    const text = twoRegionWorld(east, west, 20);
    const world = lintWorldText(text).world!;
    const controlCalls: string[] = [];
    const reports: string[] = [];
    const frames: string[] = [];
    const lab = newLab(world, east, { controlCalls, reports, frames });
    let pids: number[] = [];
    try {
      await lab.start();
      pids = lab.supervisor.livePids();
      expect(pids).toHaveLength(3);
      expect(lab.summary()).toMatch(/region eu-west-2\s+http:\/\/127\.0\.3\.1:\d+/);
      expect(lab.summary()).toMatch(/london → eu-west-2\s+[\d.]+ ms\s+model/);
      expect(existsSync(join(dir, 'up.json'))).toBe(true);
      const london = lab.populations.get('london')!;
      const deadline = Date.now() + 30_000;
      while (london.counts.succeeded < 10 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 10));
      const res = await fetch(`${lab.controlUrl}/drills`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ argv: ['region-down', 'eu-west-2', '--for', '1s'] }),
      });
      expect(res.status).toBe(202);
      await london.whenDone();
      await lab.reportsWritten();
      expect(london.counts).toMatchObject({ started: 60, failed: 0, succeeded: 60 });
      const total = lab.stats.total('london');
      expect(total.errors).toBe(0);
      expect(total.regions['us-east-1']).toBeGreaterThan(0);
      expect(lab.drillLog.map((e) => [e.event.kind, e.ok])).toEqual([
        ['region-down', true],
        ['region-up', true],
      ]);
      expect(lab.supervisor.status('region-eu-west-2')).toMatchObject({ state: 'running', starts: 2 });
      expect(reports).toHaveLength(1);
      expect(readFileSync(reports[0]!, 'utf8')).toContain('region-down eu-west-2 --for 1s');
      expect(lab.liveState().regions.map((r) => r.name)).toEqual(['us-east-1', 'eu-west-2']);
      pids = [...new Set([...pids, ...lab.supervisor.livePids()])];
    } finally {
      await lab.stop();
    }
    expect(pids.filter(alive)).toEqual([]);
    expect(frames[0]).toMatch(/^meridian up · example\.test/);
    expect(existsSync(join(dir, 'up.json'))).toBe(false);
    expect(controlCalls).toEqual([]);
  });
});

describe('LabWorld latency drill', () => {
  it('slows the true path from one network to one region, restores it, and reports how far users were from their best region', async () => {
    const [east, west] = [await freePort('127.0.2.1'), await freePort('127.0.3.1')];
    const world = lintWorldText(twoRegionWorld(east, west, 20)).world!;
    const sinks = { controlCalls: [] as string[], reports: [] as string[], frames: [] as string[] };
    const connects: { atMs: number; region: string | null; connectMs: number }[] = [];
    const lab = newLab(world, east, sinks, {
      maxJourneysPerPopulation: 80,
      onRecord: (r) => {
        if (r.connectMs > 0) connects.push({ atMs: r.atMs, region: r.region, connectMs: r.connectMs });
      },
    });
    try {
      await lab.start();
      const london = lab.populations.get('london')!;
      const deadline = Date.now() + 30_000;
      while (london.counts.succeeded < 10 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 10));
      const planned = lab.links!.routesFor('london')('127.0.3.1')!.connectDelayMs;
      const res = await fetch(`${lab.controlUrl}/drills`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ argv: ['latency', 'london', 'eu-west-2', '--add', '200ms', '--for', '1s'] }),
      });
      expect(res.status).toBe(202);
      const during = Date.now() + 5000;
      while (lab.links!.routesFor('london')('127.0.3.1')!.connectDelayMs === planned && Date.now() < during)
        await new Promise((r) => setTimeout(r, 5));
      expect(lab.links!.routesFor('london')('127.0.3.1')!.connectDelayMs).toBe(planned + 200);
      await london.whenDone();
      await lab.reportsWritten();
      expect(lab.drillLog.map((e) => [e.event.kind, e.ok])).toEqual([
        ['latency-add', true],
        ['latency-clear', true],
      ]);
      expect(lab.links!.routesFor('london')('127.0.3.1')!.connectDelayMs).toBe(planned);
      const addAt = lab.drillLog[0]!.atMs;
      const clearAt = lab.drillLog[1]!.atMs;
      const slowed = connects.filter(
        (c) => c.region === 'eu-west-2' && c.atMs > addAt + 300 && c.atMs < clearAt,
      );
      expect(slowed.length).toBeGreaterThan(0);
      for (const c of slowed) expect(c.connectMs).toBeGreaterThanOrEqual(planned + 200);
      expect(sinks.reports).toHaveLength(1);
      const html = readFileSync(sinks.reports[0]!, 'utf8');
      expect(html).toContain('latency london eu-west-2 --add 200ms --for 1s');
      expect(html).toContain('Share of requests served by the truly best region');
    } finally {
      await lab.stop();
    }
  });
});

describe('LabWorld.stop with a drill report still waiting for its tail', () => {
  it('writes the report at once instead of dropping it', async () => {
    const [east, west] = [await freePort('127.0.2.1'), await freePort('127.0.3.1')];
    const world = lintWorldText(twoRegionWorld(east, west, 5)).world!;
    const sinks = { controlCalls: [] as string[], reports: [] as string[], frames: [] as string[] };
    const lab = newLab(world, east, sinks, { reportTailMs: 600_000, maxJourneysPerPopulation: 5 });
    try {
      await lab.start();
      await lab.drill({ kind: 'drain', region: 'eu-west-2' });
      const deadline = Date.now() + 10_000;
      while (!sinks.controlCalls.includes('drain eu-west-2 true') && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 10));
      }
    } finally {
      await lab.stop();
    }
    expect(sinks.controlCalls).toContain('drain eu-west-2 true');
    expect(sinks.reports).toHaveLength(1);
    expect(readFileSync(sinks.reports[0]!, 'utf8')).toContain('drain eu-west-2');
  });
});

describe('LabWorld on Ctrl-C', () => {
  it('stops every program and removes its state file, with no process left behind', async () => {
    const [east, west] = [await freePort('127.0.2.1'), await freePort('127.0.3.1')];
    const stateFile = join(dir, 'sigint-up.json');
    const main = join(dir, 'sigint-main.mts');
    const src = (m: string) => JSON.stringify(fileURLToPath(new URL(m, import.meta.url)));
    writeFileSync(
      main,
      `import { lintWorldText } from ${src('../../world/index.ts')};
import { LabWorld } from ${src('./lab-world.ts')};
const world = lintWorldText(\`zone: example.test
home: us-east-1
regions:
  us-east-1: { cidr: 10.11.0.0/16, address: 127.0.2.1, port: ${east} }
  eu-west-2: { cidr: 10.20.0.0/16, address: 127.0.3.1, port: ${west} }
hostnames:
  links: { workload: links, policy: latency, ttlSeconds: 1, answers: 2 }
services:
  links: { in: all }
networks:
  - { name: london, cidr: 198.51.100.0/24, cloudRegion: eu-west-2 }
lab:
  users: { london: { rps: 5 } }
\`).world;
const lab = new LabWorld({
  world, worldFile: 'test.yaml', logDir: ${JSON.stringify(join(dir, 'sigint-logs'))}, stateFile: ${JSON.stringify(stateFile)},
  programs: {
    gslb: ({ dnsPort }) => ({ name: 'gslb', script: ${JSON.stringify(GSLB)}, env: { MERIDIAN_DNS_PORT: String(dnsPort), FAKE_GSLB_ADDRESSES: '127.0.3.1' } }),
    home: () => [],
    region: (name) => {
      const r = world.regions.find((x) => x.name === name);
      return { name: 'region-' + name, script: ${JSON.stringify(REGION)}, env: { MERIDIAN_REGION: name, MERIDIAN_LISTEN_HOST: r.address, MERIDIAN_LISTEN_PORT: String(r.port) } };
    },
  },
  control: { setDrained: async () => {}, setRollout: async () => {}, setConfigSource: async () => {} },
});
lab.stopOnSignals();
await lab.start();
console.log(JSON.stringify(lab.supervisor.livePids()));
`,
    );
    const parent = spawn(process.execPath, ['--import', 'tsx', main], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    parent.stdout.on('data', (b: Buffer) => {
      out += b.toString();
    });
    const exited = new Promise<number | null>((r) => parent.once('exit', (code) => r(code)));
    const deadline = Date.now() + 60_000;
    while (!out.includes(']') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const pids = JSON.parse(out.trim().split('\n').at(-1)!) as number[];
    expect(pids).toHaveLength(3);
    expect(existsSync(stateFile)).toBe(true);
    parent.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(pids.filter(alive)).toEqual([]);
    expect(existsSync(stateFile)).toBe(false);
  });
});
