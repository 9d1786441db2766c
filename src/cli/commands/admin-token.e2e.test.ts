// `meridian home` and `meridian dns` as processes refuse an empty, blank or short admin token
// at start (exit 1, one line saying which token and how to make one), and `--admin-token` is
// gone from the command line (exit 2: it is visible in ps).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'meridian-admin-token-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const world = join(dir, 'meridian.yaml');
writeFileSync(
  world,
  `zone: example.test
home: us-west-2
regions:
  us-west-2: { cidr: 10.10.0.0/16, address: 127.0.1.1, port: 1 }
hostnames:
  links: { workload: links, policy: latency }
services:
  links: { in: all }
`,
);
const blocked = join(dir, 'blocked');
writeFileSync(blocked, 'a file where a directory should be');

/** Runs `meridian ...args` from source; a program that does not refuse is stopped after 15 s. */
function meridian(args: readonly string[], env: Record<string, string | undefined> = {}) {
  const merged: NodeJS.ProcessEnv = { ...process.env, MERIDIAN_ADMIN_TOKEN: undefined, ...env };
  for (const [k, v] of Object.entries(merged)) if (v === undefined) delete merged[k];
  const r = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '-e',
      `import('./src/cli/main.ts').then(async (m) => { process.exitCode = await m.main(process.argv.slice(1)); })`,
      '--',
      ...args,
    ],
    { env: merged, encoding: 'utf8', timeout: 15_000, killSignal: 'SIGKILL' },
  );
  return { status: r.status, stderr: r.stderr };
}

const home = (dataDir: string, ...more: string[]) => [
  'home',
  '--port',
  '0',
  '--sqlite',
  '--data-dir',
  dataDir,
  '--escrow',
  join(dir, 'escrow'),
  ...more,
];

describe('meridian home: the admin token', { timeout: 40_000 }, () => {
  it.each([
    ['empty', ''],
    ['whitespace', '  \t '],
    ['one character', 'x'],
  ])('MERIDIAN_ADMIN_TOKEN %s: exit 1, before touching the data directory', (_what, token) => {
    const r = meridian(home(join(blocked, 'home')), { MERIDIAN_ADMIN_TOKEN: token });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^meridian: MERIDIAN_ADMIN_TOKEN: .*admin token.*openssl rand/m);
  });

  it('refuses an empty --admin-token-file, naming it', () => {
    const file = join(dir, 'empty-token');
    writeFileSync(file, '\n');
    const r = meridian(home(join(blocked, 'home'), '--admin-token-file', file));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`--admin-token-file ${file}`);
  });

  it('refuses a blank <data-dir>/admin-token, saying to delete it', () => {
    const dataDir = join(dir, 'blank-data');
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, 'admin-token'), '   ');
    const r = meridian(home(dataDir));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(join(dataDir, 'admin-token'));
  });

  it('refuses --host 0.0.0.0 with an empty token, before listening', () => {
    const r = meridian(home(join(blocked, 'home'), '--host', '0.0.0.0'), { MERIDIAN_ADMIN_TOKEN: '' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/MERIDIAN_ADMIN_TOKEN/);
  });
});

describe('meridian dns: the admin token', { timeout: 40_000 }, () => {
  const dns = (...more: string[]) => [
    'dns',
    world,
    '--listen',
    '127.0.0.1:0',
    '--admin',
    '127.0.0.1:0',
    ...more,
  ];

  it('refuses an empty MERIDIAN_ADMIN_TOKEN (exit 1)', () => {
    const r = meridian(dns(), { MERIDIAN_ADMIN_TOKEN: '' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^meridian: MERIDIAN_ADMIN_TOKEN: .*openssl rand/m);
  });

  it('refuses a short --admin-token-file (exit 1)', () => {
    const file = join(dir, 'short-token');
    writeFileSync(file, 'abc\n');
    const r = meridian(dns('--admin-token-file', file));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`--admin-token-file ${file}`);
  });

  it('refuses --admin-token on the command line (exit 2): it would be visible in ps', () => {
    const r = meridian(dns('--admin-token', 'a-perfectly-long-token-0123456789'));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/ps/);
    expect(r.stderr).toMatch(/--admin-token-file/);
  });
});
