// Keeps README.md honest: its settings examples parse with the real schemas and its code
// examples run as scripts (with `meridian/*` pointing at the sources).
import { execFile } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { flusherSettingsSchema, ingestSettingsSchema, outboxSettingsSchema } from './outbox-config.js';
import { dropSchema, requireDatabaseUrl, uniqueSchemaName } from './test-support/postgres-test-schema.js';

const here = dirname(fileURLToPath(import.meta.url));
const readme = readFileSync(join(here, 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/```(\w+)([^\n]*)\n([\s\S]*?)```/g)].map((m) => ({
  lang: m[1]!,
  info: m[2]!.trim(),
  code: m[3]!,
}));

describe('README.md', () => {
  it.each([
    ['outbox', outboxSettingsSchema],
    ['flusher', flusherSettingsSchema],
    ['ingest', ingestSettingsSchema],
  ] as const)(
    'its %s settings example parses with the real schema and shows every default',
    (info, schema) => {
      const block = blocks.find((b) => b.lang === 'json' && b.info === info);
      expect(block).toBeDefined();
      const parsed = schema.parse(JSON.parse(block!.code));
      const defaults = schema.safeParse({ path: 'x', region: 'x' }).data ?? schema.parse({});
      expect(parsed).toMatchObject({ ...defaults, ...JSON.parse(block!.code) });
    },
  );

  it('lists every error code the module uses', () => {
    const sources = [
      'io/outbox.ts',
      'io/outbox-flusher.ts',
      'io/ingest-plugin.ts',
      'io/sqlite-ingest-store.ts',
      'io/postgres-ingest-store.ts',
      'outbox-config.ts',
    ]
      .map((f) => readFileSync(join(here, f), 'utf8'))
      .join('\n');
    const used = new Set(sources.match(/MERIDIAN_OUTBOX_[A-Z_]+/g));
    for (const code of used) expect(readme).toContain(`\`${code}\``);
  });

  const tsBlocks = blocks.filter((b) => b.lang === 'ts');
  it.each(tsBlocks.map((b, i) => [i, b.code] as const))('example %i runs', async (i, code) => {
    const env: Record<string, string> = { ...process.env } as Record<string, string>;
    let schema: string | null = null;
    if (code.includes('PostgresIngestStore')) {
      env.DATABASE_URL = requireDatabaseUrl();
      schema = uniqueSchemaName();
      env.INGEST_SCHEMA = schema;
    }
    const file = join(here, 'test-support', `readme-example-${i}-${process.pid}.ts`);
    writeFileSync(
      file,
      code.replace(
        /'meridian\/(\w+(?:\/io)?)'/g,
        (_, mod: string) => `'${join(here, '..', mod, 'index.ts')}'`,
      ),
    );
    try {
      const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', file], {
        env,
        timeout: 30_000,
      });
      expect(stdout.length).toBeGreaterThan(0);
      if (schema) expect(stdout).toContain('duplicates: 1');
    } finally {
      rmSync(file, { force: true });
      if (schema) await dropSchema(env.DATABASE_URL!, schema);
    }
  });
});
