import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lintWorldText } from '../world/index.js';
import { checkDrainFloor } from './index.js';

const readme = readFileSync(new URL('./README.md', import.meta.url), 'utf8');
const blocks = (lang: string) =>
  [...readme.matchAll(new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``, 'g'))].map((m) => m[1]!);

describe('operator-state README', () => {
  it('configuration example is valid in a world file', () => {
    const world = [
      'zone: example.test',
      'home: us-west-2',
      'regions:',
      '  us-west-2: { cidr: 10.10.0.0/16, address: 127.0.1.1 }',
      '  eu-west-2: { cidr: 10.20.0.0/16, address: 127.0.2.1 }',
      blocks('yaml')[0]!,
    ].join('\n');
    const r = lintWorldText(world);
    expect(r.diagnostics).toEqual([]);
    expect(r.world!.drain.minServing).toBe(2);
  });

  it('the code example prints what its comments say', () => {
    const code = blocks('ts')[0]!.replace(/^import .*$/m, '');
    const printed: string[] = [];
    const log = (...args: unknown[]) => printed.push(args.map(String).join(' '));
    new Function('checkDrainFloor', 'console', code)(checkDrainFloor, { log });
    const expected = [...code.matchAll(/\/\/ (.+)$/gm)].map((m) => m[1]!);
    expect(printed).toEqual(expected);
  });
});
