// `meridian audit` against the live lab (the real programs): consistent at first (exit 0),
// then three drifts injected one at a time, each reported with exit 2: a region running
// another build (`meridian region --build-version`), a killed region, and an undeclared region
// found with `--endpoint`. The full set of five is bench/audit/drift-lab.ts.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolatedLabOptions, MERIDIAN_BIN, type MeridianUp, startMeridianUp } from './meridian-up.js';
import type { ChildSpec } from './process-supervisor.js';
import { freePort } from './test-support/free-port.js';
import { reducedWorldText } from './test-support/reduced-world-text.js';
import { LAB_PROGRAMS_BUILT, until as untilValue } from './test-support/until.js';

const ADDR = { home: '127.0.84.1', eu: '127.0.85.1', extra: '127.0.86.1' } as const;
const EU = 'region-eu-west-2';

/** Waits for `check`; a check that throws (a region not answering yet) counts as not yet. */
const until = <T>(what: string, check: () => Promise<T | undefined>, ms: number) =>
  untilValue(what, () => check().catch(() => undefined), ms);

async function buildOf(host: string, port: number): Promise<string | undefined> {
  const res = await fetch(`http://${host}:${port}/status`, { signal: AbortSignal.timeout(1000) });
  return res.ok ? ((await res.json()) as { buildVersion: string }).buildVersion : undefined;
}

describe.skipIf(!LAB_PROGRAMS_BUILT)('meridian audit against the live lab', () => {
  let dir: string;
  let file: string;
  let up: MeridianUp;
  let euPort: number;
  let euSpec: ChildSpec;

  /** `meridian audit` as a separate process (the lab's links run in this one). */
  const audit = (...extra: string[]) =>
    new Promise<{ code: number | null; out: string }>((resolve) => {
      const home = new URL(up.homeUrl()!);
      const child = spawn(
        process.execPath,
        [MERIDIAN_BIN, 'audit', file, '--home', `${home.hostname}:${home.port}`, ...extra],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
      child.on('close', (code) => resolve({ code, out }));
    });

  const restoreEu = async () => {
    await up.lab.supervisor.stop(EU);
    await up.lab.supervisor.start(euSpec);
    await until('eu-west-2 back', () => buildOf(ADDR.eu, euPort), 30_000);
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'meridian-audit-lab-'));
    file = join(dir, 'world.yaml');
    euPort = await freePort(ADDR.eu);
    writeFileSync(
      file,
      reducedWorldText([
        `us-west-2: { cidr: 10.10.0.0/16, address: ${ADDR.home}, port: ${await freePort(ADDR.home)} }`,
        `eu-west-2: { cidr: 10.20.0.0/16, address: ${ADDR.eu}, port: ${euPort} }`,
      ]),
    );
    up = await startMeridianUp({
      worldFile: file,
      ...isolatedLabOptions(dir),
      watch: false,
    });
    euSpec = up.lab.supervisor.spec(EU)!;
  }, 90_000);

  afterAll(async () => {
    await up?.stop();
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it('is consistent as started (exit 0)', async () => {
    const r = await audit();
    expect(r.code, r.out).toBe(0);
  }, 30_000);

  it('reports a region running another build (exit 2, ~ buildVersion)', async () => {
    await up.lab.supervisor.stop(EU);
    await up.lab.supervisor.start({
      ...euSpec,
      args: [...(euSpec.args ?? []), '--build-version', '0.0.0-canary'],
    });
    await until(
      'the canary build',
      async () => ((await buildOf(ADDR.eu, euPort)) === '0.0.0-canary' ? true : undefined),
      30_000,
    );
    const r = await audit();
    expect(r.code, r.out).toBe(2);
    expect(r.out).toMatch(/~ buildVersion: "0\.0\.0-canary" -> /);
    await restoreEu();
  }, 60_000);

  it('reports a killed region as missing (exit 2, +)', async () => {
    up.lab.supervisor.kill(EU, 'SIGKILL');
    await up.lab.supervisor.waitForExit(EU);
    const r = await audit();
    expect(r.code, r.out).toBe(2);
    expect(r.out).toMatch(/\+ region "eu-west-2" .*declared but not answering/);
    await restoreEu();
  }, 60_000);

  it('reports an undeclared region found with --endpoint (exit 2, -)', async () => {
    const extraPort = await freePort(ADDR.extra);
    const extraWorld = join(dir, 'world-extra.yaml');
    writeFileSync(
      extraWorld,
      reducedWorldText([
        `us-west-2: { cidr: 10.10.0.0/16, address: ${ADDR.home}, port: 1 }`,
        `af-south-1: { cidr: 10.30.0.0/16, address: ${ADDR.extra}, port: ${extraPort} }`,
      ]),
    );
    const args = [...(euSpec.args ?? [])];
    args[1] = extraWorld;
    args[args.indexOf('--name') + 1] = 'af-south-1';
    args[args.indexOf('--data-dir') + 1] = join(dir, 'extra');
    await up.lab.supervisor.start({ ...euSpec, name: 'region-undeclared', args });
    await until('the undeclared region', () => buildOf(ADDR.extra, extraPort), 30_000);
    const r = await audit('--endpoint', `${ADDR.extra}:${extraPort}`);
    await up.lab.supervisor.stop('region-undeclared');
    expect(r.code, r.out).toBe(2);
    expect(r.out).toMatch(/- region "af-south-1" .*does not declare/);
  }, 60_000);
});
