import { describe, expect, it } from 'vitest';
import { describeIngestStoreContract } from '../test-support/ingest-store-contract.js';
import { dropSchema, requireDatabaseUrl, uniqueSchemaName } from '../test-support/postgres-test-schema.js';
import { PostgresIngestStore } from './postgres-ingest-store.js';

describeIngestStoreContract('PostgreSQL', async (clock) => {
  const url = requireDatabaseUrl();
  const schema = uniqueSchemaName();
  return {
    store: new PostgresIngestStore({ connectionString: url, schema, clock }),
    cleanup: () => dropSchema(url, schema),
  };
});

describe('PostgresIngestStore', () => {
  it('refuses schema and table names that would need quoting', () => {
    expect(() => new PostgresIngestStore({ connectionString: 'postgres://x', schema: 'a"; drop' })).toThrow(
      /schema name/,
    );
    expect(() => new PostgresIngestStore({ connectionString: 'postgres://x', table: 'Events' })).toThrow(
      /table name/,
    );
  });

  it('fails start() with MERIDIAN_OUTBOX_INGEST_STORE_FAILED when the server refuses', async () => {
    const store = new PostgresIngestStore({ connectionString: 'postgres://postgres@127.0.0.1:1/none' });
    await expect(store.start()).rejects.toMatchObject({ code: 'MERIDIAN_OUTBOX_INGEST_STORE_FAILED' });
  });
});
