import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dsRecord, formatDs } from '../../dnssec/index.js';
import { readKeyFile } from '../../dnssec/io/index.js';
import { main } from '../main.js';

const dir = mkdtempSync(join(tmpdir(), 'meridian-dnssec-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l), setExitCode: () => {} });
  return { code, out, err: err.join('\n') };
}

describe('meridian dnssec', () => {
  it('keygen writes a CSK (private file 0600) and prints its DNSKEY and DS; ds prints the same DS', async () => {
    const keys = join(dir, 'keys');
    const r = await run(['dnssec', 'keygen', 'example.test', '--dir', keys]);
    expect(r.code).toBe(0);
    expect(r.out[0]).toMatch(/^example\.test\. IN DNSKEY 257 3 13 [A-Za-z0-9+/=]{88} ; csk, key tag \d+$/);
    expect(r.out[1]).toMatch(/^example\.test\. IN DS \d+ 13 2 [0-9A-F]{64}$/);
    const privateFile = readdirSync(keys).find((n) => n.endsWith('.private'))!;
    expect(privateFile).toMatch(/^Kexample\.test\.\+013\+\d{5}\.private$/);
    expect(statSync(join(keys, privateFile)).mode & 0o777).toBe(0o600);
    const key = readKeyFile(join(keys, privateFile));
    expect(formatDs('example.test', dsRecord('example.test', key))).toBe(r.out[1]);
    const ds = await run(['dnssec', 'ds', 'example.test', '--dir', keys]);
    expect(ds.code).toBe(0);
    expect(ds.out).toEqual([r.out[1]]);
  });

  it('a ZSK has no DS; ds lists only keys that sign the DNSKEY RRset', async () => {
    const keys = join(dir, 'split');
    const zsk = await run(['dnssec', 'keygen', 'example.test', '--role', 'zsk', '--dir', keys]);
    expect(zsk.out).toHaveLength(1);
    expect(zsk.out[0]).toMatch(/DNSKEY 256 3 13 .* ; zsk/);
    const none = await run(['dnssec', 'ds', 'example.test', '--dir', keys]);
    expect(none.code).toBe(1);
    expect(none.err).toMatch(/no CSK or KSK in .*meridian dnssec keygen example\.test/);
    await run(['dnssec', 'keygen', 'example.test', '--role', 'ksk', '--dir', keys]);
    expect((await run(['dnssec', 'ds', 'example.test', '--dir', keys])).out).toHaveLength(1);
  });

  it('says clearly when a key file is not a key', async () => {
    const keys = join(dir, 'broken');
    await run(['dnssec', 'keygen', 'example.test', '--dir', keys]);
    const privateFile = readdirSync(keys).find((n) => n.endsWith('.private'))!;
    writeFileSync(join(keys, privateFile), 'not a key');
    const r = await run(['dnssec', 'ds', 'example.test', '--dir', keys]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/is not an ECDSA P-256 private key in PEM/);
    expect(readFileSync(join(keys, privateFile), 'utf8')).toBe('not a key');
  });

  it('rejects an unknown role as a usage error', async () => {
    const r = await run(['dnssec', 'keygen', 'example.test', '--role', 'big', '--dir', join(dir, 'x')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--role.*csk, ksk, zsk/);
  });
});
