// HomeDatabase on a SQLite file (WAL), the embedded default. `$N` parameters are rewritten to
// positional `?`; transactions are serialised through one promise chain.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { HomeDatabase, Row, SqlValue } from '../../workload/index.js';

/** Opens (creating) the SQLite database at `path` (`:memory:` for tests). */
export function openSqliteHomeDatabase(path: string): HomeDatabase {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  const statements = new Map<string, { stmt: Database.Statement; order: number[] }>();
  let chain: Promise<unknown> = Promise.resolve();

  const run = (sql: string, params: readonly SqlValue[] = []): Row[] => {
    let prepared = statements.get(sql);
    if (!prepared) {
      const order: number[] = [];
      const text = sql.replace(/\$(\d+)/g, (_m, n: string) => {
        order.push(Number(n) - 1);
        return '?';
      });
      prepared = { stmt: db.prepare(text), order };
      statements.set(sql, prepared);
    }
    const args = prepared.order.map((i) => params[i] ?? null);
    if (prepared.stmt.reader) return prepared.stmt.all(...args) as Row[];
    prepared.stmt.run(...args);
    return [];
  };
  const query = async (sql: string, params?: readonly SqlValue[]) => run(sql, params);

  return {
    dialect: 'sqlite',
    query,
    transaction<T>(fn: (tx: Pick<HomeDatabase, 'query' | 'dialect'>) => Promise<T>): Promise<T> {
      const next = chain.then(async () => {
        run('BEGIN IMMEDIATE');
        try {
          const result = await fn({ dialect: 'sqlite', query });
          run('COMMIT');
          return result;
        } catch (err) {
          if (db.inTransaction) run('ROLLBACK');
          throw err;
        }
      });
      chain = next.catch(() => undefined);
      return next;
    },
    async close() {
      await chain;
      db.close();
    },
  };
}
