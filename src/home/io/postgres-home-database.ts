// HomeDatabase on PostgreSQL through a pg Pool, optionally inside one schema (tests use a
// random schema per run). BIGINT columns are parsed to numbers (values stay below 2^53).
import pg from 'pg';
import { MeridianError } from '../../core/index.js';
import type { HomeDatabase, Row, SqlValue } from '../../workload/index.js';

export interface PostgresHomeOptions {
  readonly connectionString: string;
  /** Schema to create (if missing) and use through search_path. */
  readonly schema?: string;
  readonly maxConnections?: number;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Connects a pool; the first query creates the schema when one is given. */
export function openPostgresHomeDatabase(options: PostgresHomeOptions): HomeDatabase {
  const schema = options.schema;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new MeridianError(
      'MERIDIAN_HOME_DATABASE',
      `schema name "${schema}" must match ${SCHEMA_NAME.source}`,
    );
  }
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: 5_000,
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        oid === 20
          ? (v: string) => Number(v)
          : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  pool.on('error', () => undefined);
  let ready: Promise<void> | undefined;
  const ensureSchema = () => {
    ready ??= schema
      ? pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`).then(() => undefined)
      : Promise.resolve();
    return ready;
  };
  const query = async (sql: string, params: readonly SqlValue[] = []) => {
    await ensureSchema();
    return (await pool.query(sql, params as SqlValue[])).rows as Row[];
  };
  return {
    dialect: 'postgres',
    query,
    async transaction(fn) {
      await ensureSchema();
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn({
          dialect: 'postgres',
          query: async (sql, params = []) => (await client.query(sql, params as SqlValue[])).rows as Row[],
        });
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    async close() {
      await pool.end();
    },
  };
}
