import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../cli-io.js';
import { main } from '../main.js';

const dir = mkdtempSync(join(tmpdir(), 'meridian-export-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const example = new URL('../../../examples/minimal.yaml', import.meta.url).pathname;

function capture(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l), setExitCode: () => {} };
}

describe('meridian export terraform', () => {
  it('writes the configuration and lists the files', async () => {
    const out = join(dir, 'ok');
    const io = capture();
    expect(await main(['export', 'terraform', example, '--out', out], io)).toBe(0);
    expect(io.stdout).toContain(join(out, 'modules/region/main.tf'));
    expect(readFileSync(join(out, 'dns.tf'), 'utf8')).toContain('resource "aws_route53_record" "delegation"');
  });

  it('warns on stderr about what Route 53 cannot express', async () => {
    const io = capture();
    expect(
      await main(['export', 'terraform', example, '--out', join(dir, 'r53'), '--dns', 'route53'], io),
    ).toBe(0);
    expect(io.stderr.join('\n')).toContain('Route 53 cannot express');
  });

  it('exports nothing and prints the diagnostics for a world that fails lint', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, readFileSync(example, 'utf8').replace('cidr: 10.20.0.0/16', 'cidr: 10.10.0.0/16'));
    const out = join(dir, 'bad-out');
    const io = capture();
    expect(await main(['export', 'terraform', bad, '--out', out], io)).toBe(1);
    expect(existsSync(out)).toBe(false);
    expect(io.stderr.join('\n')).toMatch(/bad\.yaml:\d+:\d+: error /);
    expect(io.stderr.join('\n')).toContain('nothing exported');
  });

  it('rejects an unknown DNS mode as a usage error', async () => {
    const io = capture();
    expect(await main(['export', 'terraform', example, '--out', join(dir, 'x'), '--dns', 'bind'], io)).toBe(
      2,
    );
  });
});
