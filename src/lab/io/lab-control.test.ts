import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isMeridianError } from '../../core/index.js';
import { sendRequest } from '../../http/test-support/raw-http-client.js';
import { type DrillSpec, planDrill } from '../drill-plan.js';
import { postDrill, readLabState } from './lab-control-client.js';
import { LabControlServer } from './lab-control-server.js';

const dir = mkdtempSync(join(tmpdir(), 'meridian-lab-control-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('lab control', () => {
  it('a drill posted by argv reaches the running world, which finds it by its state file', async () => {
    const stateFile = join(dir, 'up.json');
    const drills: DrillSpec[] = [];
    const server = new LabControlServer({
      regions: ['eu-west-2', 'us-west-2'],
      worldFile: 'examples/world.yaml',
      stateFile,
      handlers: {
        drill: async (spec) => {
          drills.push(spec);
          return { id: `d${drills.length}`, timeline: planDrill(spec) };
        },
        status: () => ({ drills: drills.length }),
      },
    });
    await server.start();
    try {
      const state = readLabState(stateFile);
      expect(state).toMatchObject({
        pid: process.pid,
        controlUrl: server.url,
        worldFile: 'examples/world.yaml',
      });
      const ok = await postDrill(state.controlUrl, ['region-down', 'eu-west-2', '--for', '30s']);
      expect(ok).toMatchObject({
        ok: true,
        body: { id: 'd1', spec: { kind: 'region-down', forMs: 30_000 } },
      });
      expect(drills).toEqual([{ kind: 'region-down', region: 'eu-west-2', forMs: 30_000 }]);
      const badDrill = await postDrill(state.controlUrl, ['region-down', 'mars-1']);
      expect(badDrill).toMatchObject({ ok: false, status: 400, code: 'MERIDIAN_LAB_BAD_DRILL' });
      expect(drills).toHaveLength(1);
      const status = await (await fetch(`${state.controlUrl}/status`)).json();
      expect(status).toEqual({ drills: 1 });
    } finally {
      await server.stop();
    }
    expect(existsSync(stateFile)).toBe(false);
  });

  it('says how to start a world when none is running', () => {
    expect(() => readLabState(join(dir, 'missing.json'))).toThrow(/start one with `meridian up`/);
    const stale = join(dir, 'stale.json');
    writeFileSync(
      stale,
      JSON.stringify({ pid: 2 ** 22 + 1, controlUrl: 'http://127.0.0.1:1', startedAtMs: 0, worldFile: 'x' }),
    );
    try {
      readLabState(stale);
      expect.unreachable();
    } catch (err) {
      expect(isMeridianError(err, 'MERIDIAN_LAB_NOT_RUNNING')).toBe(true);
      expect((err as Error).message).toMatch(/no longer running/);
    }
  });
  it('refuses what a web page could send it: a text/plain drill, a foreign Origin, a rebound Host', async () => {
    const drills: DrillSpec[] = [];
    const server = new LabControlServer({
      regions: ['eu-west-2'],
      worldFile: 'examples/world.yaml',
      stateFile: join(dir, 'guarded.json'),
      handlers: {
        drill: async (spec) => {
          drills.push(spec);
          return { id: 'd', timeline: planDrill(spec) };
        },
        status: () => ({}),
      },
    });
    await server.start();
    try {
      const port = Number(new URL(server.url).port);
      const body = JSON.stringify({ argv: ['region-down', 'eu-west-2', '--for', '30s'] });
      const plain = await sendRequest(port, 'POST', '/drills', { 'content-type': 'text/plain' }, body);
      expect(plain.status).toBe(415);
      const foreign = await sendRequest(
        port,
        'POST',
        '/drills',
        { 'content-type': 'application/json', origin: 'http://attacker.example' },
        body,
      );
      expect(foreign.status).toBe(403);
      const rebound = await sendRequest(port, 'GET', '/status', { host: `attacker.example:${port}` });
      expect(rebound.status).toBe(403);
      expect(drills).toEqual([]);
    } finally {
      await server.stop();
    }
  });
});
