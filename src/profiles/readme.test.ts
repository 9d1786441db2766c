// The README's snapshot example is what the profiles schema accepts.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { profilesConfigSchema } from './profiles-config.js';

it('documents a snapshot the schema accepts', () => {
  const readme = readFileSync(new URL('./README.md', import.meta.url), 'utf8');
  const json = /```json\n([\s\S]*?)```/.exec(readme)![1]!;
  expect(profilesConfigSchema.parse(JSON.parse(json)).users.ada).toEqual({ theme: 'dark', lang: 'en' });
});
