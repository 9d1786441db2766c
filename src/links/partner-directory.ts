// Partners by id for one config snapshot, built once per snapshot object and then only read.
import type { LinksConfig, Partner } from './links-config.js';

const directories = new WeakMap<LinksConfig, ReadonlyMap<string, Partner>>();

/** The partner with `id` in `config`, or undefined. O(1) after the first call per snapshot. */
export function findPartner(config: LinksConfig, id: string): Partner | undefined {
  let directory = directories.get(config);
  if (!directory) {
    directory = new Map(config.partners.map((p) => [p.id, p]));
    directories.set(config, directory);
  }
  return directory.get(id);
}
