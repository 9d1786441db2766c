// The WHERE clause for listing or counting stored events, shared by the SQL ingest stores.
import type { EventFilter } from './ingest-store.js';

/**
 * `WHERE topic = … AND region = … AND id > …` for the filter's fields (empty when none), with
 * parameters written by `placeholder(n)` (`$n` for PostgreSQL, `?` for SQLite).
 */
export function eventFilterSql(
  filter: EventFilter,
  afterId: number | undefined,
  placeholder: (n: number) => string,
): { where: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  const add = (column: string, op: string, value: unknown) => {
    params.push(value);
    parts.push(`${column} ${op} ${placeholder(params.length)}`);
  };
  if (filter.topic !== undefined) add('topic', '=', filter.topic);
  if (filter.region !== undefined) add('region', '=', filter.region);
  if (afterId !== undefined) add('id', '>', afterId);
  return { where: parts.length > 0 ? `WHERE ${parts.join(' AND ')}` : '', params };
}
