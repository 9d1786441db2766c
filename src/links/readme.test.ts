// The README's configuration example parses with the real schema, and its token example runs.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createLinkTokenCodec, linksConfigSchema } from './index.js';

const readme = readFileSync(new URL('./README.md', import.meta.url), 'utf8');

function example(name: string): string {
  const m = new RegExp(`<!-- example: ${name} -->\\s*\`\`\`json\\n([\\s\\S]*?)\`\`\``).exec(readme);
  if (!m) throw new Error(`README has no example "${name}"`);
  return m[1]!;
}

describe('links README', () => {
  it('documents a snapshot the schema accepts', () => {
    const parsed = linksConfigSchema.parse(JSON.parse(example('links-config')));
    expect(parsed.partners[0]?.id).toBe('acme');
  });

  it('documents a token round trip that works', () => {
    const codec = createLinkTokenCodec([{ id: 1, secret: Buffer.alloc(32, 7) }]);
    const token = codec.encode({
      partnerId: 'acme',
      destination: 'https://shop.acme.example/p/1',
      createdAtMs: 0,
    });
    expect(codec.decode(token)).toEqual({
      ok: true,
      link: { partnerId: 'acme', destination: 'https://shop.acme.example/p/1', createdAtMs: 0 },
    });
  });
});
