import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { isMeridianError } from '../../core/index.js';
import { type DrillSpec, planDrill } from '../drill-plan.js';
import { registerDrill } from './drill-command.js';
import { LabControlServer } from './lab-control-server.js';

const dir = mkdtempSync(join(tmpdir(), 'meridian-lab-drill-cmd-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function program(lines: string[]) {
  const p = new Command('meridian').exitOverride();
  registerDrill(p, { out: (l) => lines.push(l), err: (l) => lines.push(`err: ${l}`), setExitCode: () => {} });
  return p;
}

describe('meridian drill', () => {
  it('posts the drill to the running world and prints its timeline', async () => {
    const stateFile = join(dir, 'up.json');
    const got: DrillSpec[] = [];
    const server = new LabControlServer({
      regions: ['eu-west-2'],
      worldFile: 'w.yaml',
      stateFile,
      handlers: {
        drill: async (spec) => {
          got.push(spec);
          return { id: 'drill-1', timeline: planDrill(spec) };
        },
        status: () => ({}),
      },
    });
    await server.start();
    try {
      const lines: string[] = [];
      await program(lines).parseAsync(
        ['drill', 'region-down', 'eu-west-2', '--for', '60s', '--state-file', stateFile],
        { from: 'user' },
      );
      expect(got).toEqual([{ kind: 'region-down', region: 'eu-west-2', forMs: 60_000 }]);
      expect(lines).toEqual([
        'region-down eu-west-2 --for 60s: started (drill-1)',
        '  +0.0s region-down',
        '  +60.0s region-up',
        'err: the report is written to meridian-reports/ when the drill ends',
      ]);
      await expect(
        program([]).parseAsync(['drill', 'region-down', 'mars-1', '--state-file', stateFile], {
          from: 'user',
        }),
      ).rejects.toSatisfy(
        (e) => isMeridianError(e, 'MERIDIAN_LAB_BAD_DRILL') && /mars-1/.test((e as Error).message),
      );
    } finally {
      await server.stop();
    }
  });

  it('rejects a malformed drill before looking for a world', async () => {
    await expect(
      program([]).parseAsync(['drill', 'region-down', '--state-file', join(dir, 'none.json')], {
        from: 'user',
      }),
    ).rejects.toSatisfy((e) => isMeridianError(e, 'MERIDIAN_LAB_BAD_DRILL'));
  });

  it('says to start a world when none runs here', async () => {
    await expect(
      program([]).parseAsync(['drill', 'home-down', '--state-file', join(dir, 'none.json')], {
        from: 'user',
      }),
    ).rejects.toSatisfy((e) => isMeridianError(e, 'MERIDIAN_LAB_NOT_RUNNING'));
  });
});
