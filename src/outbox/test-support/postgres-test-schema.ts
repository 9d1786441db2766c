// PostgreSQL for tests: DATABASE_URL is required, each run gets its own schema, dropped after.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** DATABASE_URL, or a clear error telling how to set it. */
export function requireDatabaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) {
    throw new Error(
      'DATABASE_URL is not set: the PostgreSQL tests need it, e.g. ' +
        'DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm test (CI sets it in .ci/run)',
    );
  }
  return url;
}

/** A schema name unique to this test run. */
export function uniqueSchemaName(): string {
  return `meridian_outbox_t_${randomBytes(6).toString('hex')}`;
}

/** Drops `schema` and everything in it. */
export async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}
