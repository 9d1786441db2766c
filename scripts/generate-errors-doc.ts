// Writes docs/errors.md (npm run docs:errors); a test fails when it is stale.
import { writeFileSync } from 'node:fs';
import { buildErrorsDoc } from './errors-doc.js';

writeFileSync(
  new URL('../docs/errors.md', import.meta.url),
  buildErrorsDoc(new URL('../src/', import.meta.url)),
);
