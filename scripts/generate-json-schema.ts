// Writes schema/meridian.schema.json from the zod schema (npm run schema); a test keeps it current.
import { writeFileSync } from 'node:fs';
import { worldJsonSchema } from '../src/world/world-json-schema.js';

writeFileSync(
  new URL('../schema/meridian.schema.json', import.meta.url),
  `${JSON.stringify(worldJsonSchema(), null, 2)}\n`,
);
