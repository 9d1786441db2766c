// `meridian drain | undrain | rollout --nats` on a real 3-node cluster: the change lands in the
// fleet's operator-state bucket (another instance's watcher sees it), the floor is checked there,
// a forced drain is recorded, and --preview writes nothing.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteStreams, useNatsCluster } from '../../fleet/test-support/nats-cluster.js';
import { OperatorStateStore } from '../../operator-state/io/index.js';
import { main } from '../main.js';

const cluster = useNatsCluster();
const fleet = `cli-test-${process.pid}`;
const dir = mkdtempSync(join(tmpdir(), 'meridian-drain-fleet-'));
const worldPath = join(dir, 'meridian.yaml');
writeFileSync(
  worldPath,
  `zone: example.test
home: us-west-2
regions:
  us-west-2: { cidr: 10.10.0.0/16, address: 127.0.1.1 }
  eu-west-2: { cidr: 10.20.0.0/16, address: 127.0.2.1 }
  af-south-1: { cidr: 10.30.0.0/16, address: 127.0.3.1 }
hostnames:
  links: { workload: links }
services:
  links: { in: all }
networks:
  - { name: cape-town, cidr: 203.0.113.0/24, location: { lat: -33.92, lon: 18.42 } }
`,
);
let watcher: OperatorStateStore;

beforeAll(async () => {
  watcher = new OperatorStateStore({ servers: cluster().urls, fleet });
  watcher.start();
  await watcher.whenCaughtUp();
}, 30_000);
afterAll(async () => {
  await watcher?.stop();
  await deleteStreams(cluster().urls, [`KV_meridian-${fleet}-operator`]);
  rmSync(dir, { recursive: true, force: true });
});

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(
    [...argv, '--nats', cluster().urls.join(','), '--fleet', fleet, '--world', worldPath],
    {
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      setExitCode: () => {},
    },
  );
  return { code, out: out.join('\n'), err: err.join('\n') };
}
async function until(what: string, fn: () => boolean): Promise<void> {
  const end = Date.now() + 10_000;
  while (!fn()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('meridian drain | undrain | rollout --nats', () => {
  it('previews without writing, drains to the floor, refuses below it, forces with a reason', async () => {
    const preview = await run('drain', 'af-south-1', '--preview');
    expect(preview.code).toBe(0);
    expect(preview.out).toMatch(/cape-town\s+links\.example\.test\s+af-south-1 → eu-west-2/);
    const revision = watcher.state().revision;

    expect((await run('drain', 'af-south-1', '--reason', 'patch', '--who', 'ana')).code).toBe(0);
    await until('the watcher sees the drain', () => watcher.state().drains['af-south-1'] !== undefined);
    expect(watcher.state().revision).toBeGreaterThan(revision);
    expect(watcher.state().drains['af-south-1']).toMatchObject({
      who: 'ana',
      reason: 'patch',
      forced: false,
    });

    const refused = await run('drain', 'eu-west-2');
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('refused (HTTP 409): MERIDIAN_GSLB_DRAIN_BELOW_FLOOR');
    expect(refused.err).toContain('drain.minServing is 2');

    expect((await run('drain', 'eu-west-2', '--force')).code).toBe(1);
    const forced = await run('drain', 'eu-west-2', '--force', '--reason', 'bad deploy', '--who', 'ana');
    expect(forced.out).toBe('drained eu-west-2 (forced below the floor; recorded)');
    await until('the watcher sees the forced drain', () => watcher.state().drains['eu-west-2'] !== undefined);
    expect(watcher.state().drains['eu-west-2']).toMatchObject({ forced: true, reason: 'bad deploy' });
    expect(watcher.state().recent.at(-1)).toMatchObject({
      action: 'drain',
      target: 'eu-west-2',
      forced: true,
      who: 'ana',
    });

    expect((await run('undrain', 'eu-west-2')).code).toBe(0);
    expect((await run('undrain', 'af-south-1')).code).toBe(0);
    await until('the watcher sees both undrains', () => Object.keys(watcher.state().drains).length === 0);
    expect((await run('drain', 'atlantis')).code).toBe(1);
  }, 60_000);

  it('sets and clears a rollout override for the fleet', async () => {
    expect(
      (await run('rollout', 'links', '--region', 'af-south-1', '--percent', '2.5', '--reason', 'canary'))
        .code,
    ).toBe(0);
    await until(
      'the watcher sees the rollout',
      () => watcher.state().rollouts['links.example.test'] !== undefined,
    );
    expect(watcher.state().rollouts['links.example.test']).toEqual({
      region: 'af-south-1',
      basisPoints: 250,
      sticky: true,
    });
    expect((await run('rollout', 'links', '--clear')).code).toBe(0);
    await until(
      'the watcher sees it cleared',
      () => watcher.state().rollouts['links.example.test'] === undefined,
    );
    expect((await run('rollout', 'links', '--region', 'mars-1', '--percent', '1')).code).toBe(2);
  }, 60_000);
});
