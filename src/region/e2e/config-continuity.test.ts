// End to end with real processes (the built CLI, so `npm run build` first): home loses its escrow
// pointer and numbering continues; home loses its database too and the region says so once in
// its log; a region restarted with home down and escrow corrupt serves from its last-good copy.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pointerKey, snapshotKey } from '../../config/index.js';
import { ACME, ADMIN_TOKEN, LAB_WORLD, labRegionArgs, writeLabFiles } from '../test-support/lab-world.js';
import { eventually, type MeridianProcess, spawnMeridian } from '../test-support/spawn-meridian.js';

const CONFIG = 'links-config';

describe('config numbering and the last-good copy, with real processes', () => {
  let dir: string;
  let files: { world: string; sessionKeys: string };
  let home: MeridianProcess | undefined;
  let region: MeridianProcess | undefined;
  let homePort = 0;

  const startHome = async () => {
    home = await spawnMeridian(
      [
        'home',
        files.world,
        '--sqlite',
        '--port',
        String(homePort),
        '--data-dir',
        join(dir, 'home'),
        '--escrow',
        join(dir, 'escrow'),
      ],
      { cwd: dir, env: { MERIDIAN_ADMIN_TOKEN: ADMIN_TOKEN, DATABASE_URL: undefined } },
    );
    homePort = Number(new URL(home.url).port);
  };
  const startRegion = async () => {
    region = await spawnMeridian(
      labRegionArgs({
        world: files.world,
        sessionKeys: files.sessionKeys,
        dir,
        name: 'eu-west-2',
        homeUrl: `http://127.0.0.1:${homePort}`,
      }),
      { cwd: dir },
    );
  };
  const admin = (method: string, path: string, body?: unknown) =>
    fetch(`${home!.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const status = async () =>
    (await (await fetch(`${region!.url}/status`)).json()) as {
      config: { version: number | null; rejectingOlder?: { polls: number; offeredVersion: number } };
    };
  const metric = async (name: string): Promise<number> => {
    const text = await (await fetch(`${region!.url}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith(name));
    return line ? Number(line.split(' ').pop()) : 0;
  };
  const lines = (pattern: RegExp) =>
    region!
      .output()
      .split('\n')
      .filter((l) => pattern.test(l));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'meridian-e2e-continuity-'));
    files = writeLabFiles(dir);
    writeFileSync(
      files.world,
      LAB_WORLD.replace('outboxFlushMs: 50 }', 'outboxFlushMs: 50, configOlderAlertPolls: 3 }'),
    );
    await startHome();
    expect((await admin('PUT', '/v1/admin/partners/acme', ACME)).status).toBe(200);
    await startRegion();
  });
  afterAll(async () => {
    await region?.stop();
    await home?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('continues numbering after home loses its escrow pointer', async () => {
    await eventually('the region at version 2', async () =>
      (await status()).config.version === 2 ? true : undefined,
    );
    await home!.stop();
    await rm(join(dir, 'escrow', pointerKey(CONFIG)));
    await startHome();
    expect(home!.output()).toMatch(/config "links-config" v3/);
    expect((await admin('POST', '/v1/admin/revocations', { partnerId: 'acme' })).status).toBe(201);
    await eventually('the region at version 4', async () =>
      (await status()).config.version === 4 ? true : undefined,
    );
  });

  it('says once in its log that home offers older snapshots when home lost its database too', async () => {
    await home!.stop();
    for (const f of ['home.db', 'home.db-wal', 'home.db-shm'])
      await rm(join(dir, 'home', f), { force: true });
    await rm(join(dir, 'escrow', pointerKey(CONFIG)));
    await startHome();
    expect(home!.output()).toMatch(/config "links-config" v1/);
    await eventually('six older offers in a row', async () =>
      (await metric('meridian_config_older_streak_polls')) >= 6 ? true : undefined,
    );
    expect(lines(/offered config v1, older than the v4 held, 3 polls in a row/)).toHaveLength(1);
    expect(lines(/config v1 from home rejected \(older-version\)/)).toHaveLength(1);
    expect((await status()).config.rejectingOlder).toMatchObject({ offeredVersion: 1 });
    expect((await fetch(`${region!.url}/healthz`)).status).toBe(200);
  });

  it('restarts with home down and escrow corrupt from its last-good copy, and is healthy', async () => {
    await home!.stop();
    await region!.stop();
    writeFileSync(join(dir, 'escrow', snapshotKey(CONFIG, 1)), '{"format":"meridian-config/1"');
    writeFileSync(
      join(dir, 'escrow', pointerKey(CONFIG)),
      JSON.stringify({ name: CONFIG, version: 9, key: snapshotKey(CONFIG, 1) }),
    );
    await startRegion();
    await eventually('healthy from the last-good copy', async () =>
      (await fetch(`${region!.url}/healthz`)).status === 200 ? true : undefined,
    );
    expect((await status()).config.version).toBe(4);
    expect(region!.output()).toMatch(/config v4 accepted from last-good/);
  });
});
