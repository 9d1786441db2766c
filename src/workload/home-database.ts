// The one interface home and a workload's home side use (home implements it, src/home/io): parameterised SQL ($1, $2 …) that runs unchanged on
// SQLite (embedded default) and PostgreSQL. Integers come back as numbers on both.

export type SqlValue = string | number | null;
export type Row = Record<string, SqlValue>;

export interface HomeDatabase {
  /** `sqlite` or `postgres`, for the rare statement that differs. */
  readonly dialect: 'sqlite' | 'postgres';
  /** Runs one statement; rows for SELECT / RETURNING, else []. */
  query(sql: string, params?: readonly SqlValue[]): Promise<Row[]>;
  /** Runs `fn` in one transaction (serialised with other transactions on SQLite). */
  transaction<T>(fn: (tx: Pick<HomeDatabase, 'query' | 'dialect'>) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** One step of a database schema, applied once (home's and each workload's share one sequence). */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly statements: readonly string[];
}
