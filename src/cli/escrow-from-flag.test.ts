// `--escrow DIR|s3://BUCKET/PREFIX`: parsing, and the programs themselves publishing to and
// reading from S3 (s3rver on loopback): a region whose home does not answer comes up from it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningS3, startS3rver } from '../config/test-support/start-s3rver.js';
import { isMeridianError } from '../core/index.js';
import { ADMIN_TOKEN, labRegionArgs, writeLabFiles } from '../region/test-support/lab-world.js';
import { eventually, type MeridianProcess, spawnMeridian } from '../region/test-support/spawn-meridian.js';
import { parseEscrowLocation } from './escrow-from-flag.js';

describe('parseEscrowLocation', () => {
  it.each([
    ['.meridian/escrow', { kind: 'directory', path: '.meridian/escrow' }],
    ['s3://escrow', { kind: 's3', bucket: 'escrow', prefix: '' }],
    ['s3://my-bucket/meridian', { kind: 's3', bucket: 'my-bucket', prefix: 'meridian/' }],
    ['s3://my-bucket/a/b/', { kind: 's3', bucket: 'my-bucket', prefix: 'a/b/' }],
  ])('%s', (value, expected) => {
    expect(parseEscrowLocation(value)).toEqual(expected);
  });

  it.each(['s3://', 's3:///prefix', 's3://UPPER/x', 's3://a/x'])('refuses %s with a usage error', (value) => {
    const err = (() => {
      try {
        parseEscrowLocation(value);
      } catch (e) {
        return e;
      }
    })();
    expect(isMeridianError(err, 'MERIDIAN_USAGE')).toBe(true);
    expect((err as Error).message).toContain('s3://BUCKET/PREFIX');
  });
});

describe('meridian home and region with --escrow s3://', () => {
  let s3: RunningS3;
  let dir: string;
  let home: MeridianProcess | undefined;
  let region: MeridianProcess | undefined;

  beforeAll(async () => {
    s3 = await startS3rver('escrow');
    dir = mkdtempSync(join(tmpdir(), 'meridian-s3-escrow-'));
  });
  afterAll(async () => {
    await region?.stop();
    await home?.stop();
    await s3?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('home publishes to S3, and a region that cannot reach home comes up from it', async () => {
    const files = writeLabFiles(dir);
    const env = {
      MERIDIAN_ADMIN_TOKEN: ADMIN_TOKEN,
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      DATABASE_URL: undefined,
    };
    const s3Flags = ['--escrow', 's3://escrow/meridian', '--s3-endpoint', s3.endpoint];
    home = await spawnMeridian(
      ['home', files.world, '--sqlite', '--port', '0', '--data-dir', join(dir, 'home'), ...s3Flags],
      { cwd: dir, env },
    );
    expect(home.output()).toContain(`escrow s3://escrow/meridian/ at ${s3.endpoint}`);
    region = await spawnMeridian(
      [
        ...labRegionArgs({
          world: files.world,
          sessionKeys: files.sessionKeys,
          dir,
          name: 'eu-west-2',
          homeUrl: 'http://127.0.0.1:9',
        }),
        ...s3Flags,
      ],
      { cwd: dir, env },
    );
    const status = await eventually('the region warm from S3', async () => {
      const s = (await (await fetch(`${region!.url}/status`)).json()) as {
        config: { version: number | null };
      };
      return s.config.version !== null ? s : undefined;
    });
    expect(status.config.version).toBeGreaterThanOrEqual(1);
    expect((await fetch(`${region.url}/healthz`)).status).toBe(200);
    expect(region.output()).toContain('from escrow');
  });
});
