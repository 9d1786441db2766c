// Home's durable config version counter: the last version issued per config name, kept in home's database.
import type { VersionCounter } from '../config/index.js';
import type { HomeDatabase } from '../workload/index.js';

/**
 * The `VersionCounter` the publisher reserves each version in before writing escrow, so
 * losing the escrow pointer never restarts numbering. One statement per reservation (an
 * upsert with RETURNING), atomic on SQLite and PostgreSQL alike.
 */
export class ConfigVersionStore implements VersionCounter {
  readonly #db: HomeDatabase;

  constructor(db: HomeDatabase) {
    this.#db = db;
  }

  async last(name: string): Promise<number> {
    const [row] = await this.#db.query('SELECT last_version FROM config_versions WHERE name = $1', [name]);
    return row ? Number(row.last_version) : 0;
  }

  async reserve(name: string, floor: number): Promise<number> {
    const [row] = await this.#db.query(
      `INSERT INTO config_versions (name, last_version) VALUES ($1, $2)
       ON CONFLICT (name) DO UPDATE SET last_version = CASE
         WHEN config_versions.last_version + 1 > excluded.last_version THEN config_versions.last_version + 1
         ELSE excluded.last_version END
       RETURNING last_version`,
      [name, floor],
    );
    return Number(row?.last_version);
  }
}
