// `meridian drain | undrain | rollout` against one `meridian dns` admin API: preview, the floor
// (exit 1 with the reason), a forced drain recorded with who and why, undrain, rollout.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2e, startE2e, until } from '../../gslb/test-support/e2e-world.js';
import { main } from '../main.js';

const HEALTH = '{ path: /healthz, intervalMs: 200, timeoutMs: 1000, rise: 1, fall: 3 }';
let e: E2e;

beforeAll(async () => {
  e = await startE2e({ healthYaml: HEALTH });
  await until('all regions up', async () => e.gslb.monitor.table().regions.every((r) => r.serving));
});
afterAll(() => e?.stop());

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main([...argv, '--admin', e.adminUrl], {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    setExitCode: () => {},
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}
const drained = () =>
  e.gslb.monitor
    .table()
    .regions.filter((r) => r.drained)
    .map((r) => r.name);

describe('meridian drain | undrain | rollout (admin API)', () => {
  it('--preview prints per network the answer before and after and the countdown, and drains nothing', async () => {
    const r = await run('drain', 'af-south-1', '--preview');
    expect(r.code).toBe(0);
    expect(r.out).toContain('preview: draining af-south-1 (nothing was changed)');
    expect(r.out).toContain('floor: passes');
    expect(r.out).toMatch(/cape-town\s+links\.example\.test\s+af-south-1 → eu-west-2\s+\+\d+(\.\d)? ms/);
    expect(r.out).toMatch(/last cached old answer expires \d+ s after the drain/);
    expect(drained()).toEqual([]);
  });

  it('drains to the floor, is refused below it (exit 1, the reason), and --force --reason is recorded', async () => {
    expect((await run('drain', 'af-south-1', '--reason', 'patching')).code).toBe(0);
    const refused = await run('drain', 'eu-west-2');
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('refused (HTTP 409): MERIDIAN_GSLB_DRAIN_BELOW_FLOOR');
    expect(refused.err).toContain('drain.minServing is 2');
    expect(drained()).toEqual(['af-south-1']);
    expect((await run('drain', 'eu-west-2', '--force')).code).toBe(1);
    const forced = await run('drain', 'eu-west-2', '--force', '--reason', 'bad deploy', '--who', 'ana@ops');
    expect(forced).toMatchObject({ code: 0, out: 'drained eu-west-2 (forced below the floor; recorded)' });
    expect(e.gslb.drains.records().at(-1)).toMatchObject({
      action: 'drain',
      target: 'eu-west-2',
      who: 'ana@ops',
      reason: 'bad deploy',
      forced: true,
    });
    expect((await run('undrain', 'eu-west-2')).code).toBe(0);
    expect((await run('undrain', 'af-south-1')).code).toBe(0);
    expect(drained()).toEqual([]);
    expect(e.gslb.drains.records().at(-1)).toMatchObject({ action: 'undrain', target: 'af-south-1' });
  });

  it('rollout sets and clears an override, recorded', async () => {
    const set = await run(
      'rollout',
      'links',
      '--region',
      'af-south-1',
      '--percent',
      '5',
      '--reason',
      'canary',
    );
    expect(set.code).toBe(0);
    expect(e.gslb.world.hostnames.find((h) => h.name === 'links')?.rollout).toEqual({
      region: 'af-south-1',
      basisPoints: 500,
      sticky: true,
    });
    expect(e.gslb.drains.records().at(-1)).toMatchObject({
      action: 'rollout',
      target: 'links',
      reason: 'canary',
    });
    expect((await run('rollout', 'links', '--clear')).code).toBe(0);
    expect(e.gslb.world.hostnames.find((h) => h.name === 'links')?.rollout).toBeUndefined();
    expect((await run('rollout', 'links')).code).toBe(2);
  });
});
