import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeIngestStoreContract } from '../test-support/ingest-store-contract.js';
import { SqliteIngestStore } from './sqlite-ingest-store.js';

describeIngestStoreContract('SQLite file', async (clock) => {
  const dir = mkdtempSync(join(tmpdir(), 'meridian-ingest-'));
  return {
    store: new SqliteIngestStore({ path: join(dir, 'home.db'), clock }),
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
});

describeIngestStoreContract('SQLite :memory:', async (clock) => ({
  store: new SqliteIngestStore({ path: ':memory:', clock }),
  cleanup: async () => {},
}));
