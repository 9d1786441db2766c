// The README's partner example is accepted by the admin API's schema.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { partnerSchema } from '../links/index.js';
import { HOME_MIGRATIONS } from './home-migrations.js';

const readme = readFileSync(new URL('./README.md', import.meta.url), 'utf8');

it('documents a partner body the admin API accepts, and every migration', () => {
  const m = /<!-- example: partner -->\s*```json\n([\s\S]*?)```/.exec(readme);
  expect(m).not.toBeNull();
  expect(partnerSchema.safeParse({ ...JSON.parse(m![1]!), id: 'acme' }).success).toBe(true);
  for (const migration of HOME_MIGRATIONS) expect(readme).toContain(`v${migration.version} `);
});
