// The signer checked by a real validator: delv (BIND 9) with the key as its trust anchor.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDnssecKey } from './dnssec-key.js';
import { type SignedResponder, startSignedResponder } from './test-support/signed-responder.js';

const run = promisify(execFile);
const key = generateDnssecKey('csk');
const dir = mkdtempSync(join(tmpdir(), 'meridian-delv-'));
const anchor = join(dir, 'anchor.conf');
let server: SignedResponder;

beforeAll(async () => {
  writeFileSync(
    anchor,
    `trust-anchors { "example.test." static-key 257 3 13 "${key.dnskeyRdata.subarray(4).toString('base64')}"; };\n`,
  );
  server = await startSignedResponder('example.test', key, ['127.0.3.1', '127.0.2.1']);
});
afterAll(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function delv(name: string, type: string): Promise<string> {
  const { stdout, stderr } = await run(
    'delv',
    ['@127.0.0.1', '-p', String(server.port), '-a', anchor, '+root=example.test', name, type],
    { timeout: 20_000 },
  ).catch((err: { stdout?: string; stderr?: string }) => ({
    stdout: err.stdout ?? '',
    stderr: err.stderr ?? '',
  }));
  return `${stdout}${stderr}`;
}

describe('signatures checked by delv', () => {
  it('validates signed A records', async () => {
    const out = await delv('links.example.test', 'A');
    expect(out).toContain('; fully validated');
    expect(out).toMatch(/links\.example\.test\.\s+30\s+IN\s+A\s+127\.0\.2\.1/);
    expect(out).toMatch(/RRSIG\s+A 13 3 30/);
  });

  it('validates compact denial for a name that does not exist (NXNAME) and for NODATA', async () => {
    const nx = await delv('nope.example.test', 'A');
    expect(nx).toMatch(/; negative response, fully validated/);
    expect(nx).toContain('; nope.example.test. NSEC \\000.nope.example.test. RRSIG NSEC TYPE128');
    const nodata = await delv('links.example.test', 'TXT');
    expect(nodata).toMatch(/; negative response, fully validated/);
    expect(nodata).toContain('; links.example.test. NSEC \\000.links.example.test. A RRSIG NSEC');
  });

  it('refuses a corrupted signature', async () => {
    server.corruptSignatures();
    const out = await delv('links.example.test', 'A');
    expect(out).not.toContain('fully validated');
    expect(out).toMatch(/resolution failed|validation failure|no valid RRSIG|SERVFAIL/i);
  });
});
