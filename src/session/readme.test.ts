// Runs the README's examples as plain Node scripts against the built package, and parses its config blocks.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseSessionKeys } from './parse-session-keys.js';
import { sessionRevocationsSchema } from './session-revocations.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const readme = readFileSync(new URL('./README.md', import.meta.url), 'utf8');
const blocks = (lang: string) =>
  [...readme.matchAll(new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``, 'g'))].map((m) => m[1] as string);
// Inside the package so that `meridian/session` resolves to this package's own exports.
const dir = mkdtempSync(join(root, '.readme-session-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('session README', () => {
  it.each(blocks('js').map((code, i) => [i + 1, code]))('example %i runs', (i, code) => {
    if (!existsSync(join(root, 'dist/session/index.js')))
      throw new Error('dist/ is missing: run `npm run build` first');
    const file = join(dir, `example-${i}.mjs`);
    writeFileSync(file, code as string);
    const env = { ...process.env, MERIDIAN_SESSION_KEYS: `key 1 ${Buffer.alloc(32, 5).toString('base64')}` };
    const out = execFileSync(process.execPath, [file], { env, encoding: 'utf8', timeout: 20_000 });
    if (i === 1) expect(out).toMatch(/^s_AQFqHXRAah7Fw[A-Za-z0-9_-]+ 64\n$/);
  });

  it('parses its key ring and revocation examples with the real parsers', () => {
    const [keys] = blocks('text');
    expect(parseSessionKeys(keys as string, 'README').active.id).toBe(2);
    const [revocations] = blocks('json');
    expect(sessionRevocationsSchema.parse(JSON.parse(revocations as string)).partners).toEqual(['666']);
  });

  it('shows the first test vector byte for byte', () => {
    const vectors = JSON.parse(
      readFileSync(new URL('./testdata/session-vectors.json', import.meta.url), 'utf8'),
    );
    const [layout] = blocks('');
    const [hex, id] = (layout as string).trim().split('\n');
    expect(hex?.replace(/ /g, '')).toBe(vectors.vectors[0].bodyHex);
    expect(id).toBe(vectors.vectors[0].id);
  });
});
