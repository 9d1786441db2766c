import { describe, expect, it } from 'vitest';
import { main } from '../main.js';

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l), setExitCode: () => {} });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('meridian explain', () => {
  it('prints each stage and the answer for a network client', async () => {
    const r = await run(['explain', 'links', 'examples/world.yaml', '--from', 'cape-town']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      /candidates\s+\[\] → \[us-west-2, us-east-1, eu-west-2, af-south-1, ap-southeast-1, sa-east-1\]/,
    );
    expect(r.out).toContain('answer: af-south-1 127.0.4.1');
  });

  it('--down takes regions out; --json gives the stages as data', async () => {
    const r = await run([
      'explain',
      'links.example.test',
      'examples/world.yaml',
      '--from',
      '203.0.113.5',
      '--down',
      'af-south-1',
      '--json',
    ]);
    const e = JSON.parse(r.out);
    expect(e.regions).not.toContain('af-south-1');
    expect(e.stages.find((s: { stage: string }) => s.stage === 'healthy').output).not.toContain('af-south-1');
  });

  it('explains usage errors clearly', async () => {
    const bad = await run(['explain', 'links', 'examples/world.yaml', '--from', 'atlantis']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--from: .*network of the world file \(seattle/);
    const host = await run(['explain', 'nope', 'examples/world.yaml', '--from', 'london']);
    expect(host.err).toMatch(/"nope" is not a hostname of example.test; hostnames: links, api/);
    const down = await run(['explain', 'links', 'examples/world.yaml', '--from', 'london', '--down', 'mars']);
    expect(down.err).toMatch(/no region "mars"/);
  });
});
