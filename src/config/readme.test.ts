// The README's examples are the files in test-support/readme-examples: same text, and they run.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { tempDir } from './test-support/fixtures.js';
import { requireRedisUrl } from './test-support/redis-url.js';
import { startS3rver } from './test-support/start-s3rver.js';

const here = import.meta.dirname;
const examples = join(here, 'test-support', 'readme-examples');

async function readmeBlocks(): Promise<string[]> {
  const readme = await readFile(join(here, 'README.md'), 'utf8');
  return [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!.trimEnd());
}

async function exampleAsShown(name: string): Promise<string> {
  const text = await readFile(join(examples, `${name}.ts`), 'utf8');
  return text
    .replaceAll("'../../index.js'", "'meridian/config'")
    .replaceAll("'../../io/index.js'", "'meridian/config/io'")
    .trimEnd();
}

async function withEnv(vars: Record<string, string>, fn: () => Promise<unknown>): Promise<void> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  try {
    await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

describe('src/config/README.md examples', () => {
  it('shows exactly the example files, in order', async () => {
    const blocks = await readmeBlocks();
    const names = ['home-and-region', 's3-escrow', 'redis-external'];
    expect(blocks).toEqual(await Promise.all(names.map(exampleAsShown)));
  });

  it('home-and-region runs', async () => {
    await import('./test-support/readme-examples/home-and-region.js');
  });

  it('s3-escrow runs against s3rver', async () => {
    const s3 = await startS3rver('meridian-escrow');
    try {
      await withEnv(
        {
          S3_ENDPOINT: s3.endpoint,
          S3_BUCKET: s3.bucket,
          AWS_ACCESS_KEY_ID: 'S3RVER',
          AWS_SECRET_ACCESS_KEY: 'S3RVER',
        },
        () => import('./test-support/readme-examples/s3-escrow.js'),
      );
    } finally {
      await s3.close();
    }
  });

  it('redis-external runs against the real Redis', async () => {
    const url = requireRedisUrl();
    const dir = await tempDir();
    const prefix = `meridian-test:readme:${randomBytes(6).toString('hex')}`;
    try {
      await withEnv(
        { REDIS_URL: url, ESCROW_DIR: dir.path, KEY_PREFIX: prefix },
        () => import('./test-support/readme-examples/redis-external.js'),
      );
    } finally {
      const redis = new Redis(url);
      const left = await redis.keys(`${prefix}:*`);
      if (left.length > 0) await redis.unlink(...left);
      await redis.quit();
      await dir.remove();
    }
  });
});
