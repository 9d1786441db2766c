// Runs the examples of every module README (src/*/README.md), as CoreDNS boots every plugin
// README's example from one test (test/readme_test.go). The conventions are in
// docs/conventions.md#readme-examples: ```ts and ```js blocks run as ES modules against the
// sources, ```yaml blocks lint as world files, ```json blocks parse (with the module's schema
// where it has one), and `meridian …` lines of ```sh blocks parse with the CLI's own parser.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { buildProgram, main } from './cli/main.js';
import { generateSigningKeys } from './config/index.js';
import { requireRedisUrl } from './config/test-support/redis-url.js';
import { startS3rver } from './config/test-support/start-s3rver.js';
import { deriveSenderKey, systemClock } from './core/index.js';
import { DEFAULT_ADMIN, DEFAULT_LISTEN } from './gslb/index.js';
import { HOME_MIGRATIONS, startHome } from './home/index.js';
import { sendRequest } from './http/test-support/raw-http-client.js';
import { linksConfigSchema, partnerSchema } from './links/index.js';
import { flusherSettingsSchema, ingestSettingsSchema, outboxSettingsSchema } from './outbox/outbox-config.js';
import {
  dropSchema,
  requireDatabaseUrl,
  uniqueSchemaName,
} from './outbox/test-support/postgres-test-schema.js';
import { profilesConfigSchema } from './profiles/index.js';
import {
  createSessionCodec,
  defineSessionFormat,
  field,
  parseSessionKeys,
  type SessionKeyRing,
  sessionRevocationsSchema,
} from './session/index.js';
import { notesWorkload } from './workload/test-support/notes-workload.js';
import { lintWorldText } from './world/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const RUN_DEADLINE_MS = 60_000;

/** A fenced block of a README, with the `<!-- example: … -->` marker on the line before it. */
interface Block {
  module: string;
  /** 1-based line of the opening fence. */
  line: number;
  lang: string;
  /** Words after the language on the fence line (`json flusher`). */
  info: string;
  code: string;
  marker: Marker;
}

/** What a marker says: `<!-- example: NAME needs=redis,s3 env=K:V serves -->` or `<!-- example: skip REASON -->`. */
interface Marker {
  name?: string;
  skip?: string;
  needs: string[];
  env: Record<string, string>;
  serves: boolean;
  /** On a sh block: run its `meridian …` lines through the CLI in process (exit 0, or `# exit N`). */
  runs: boolean;
}

function parseMarker(text: string | undefined): Marker {
  const marker: Marker = { needs: [], env: {}, serves: false, runs: false };
  if (!text) return marker;
  const body = text.trim();
  const skip = /^skip\b\s*[:—-]?\s*(.*)$/s.exec(body);
  if (skip) {
    marker.skip = skip[1]!.trim();
    return marker;
  }
  for (const m of body.matchAll(/([\w-]+)(?:=("[^"]*"|\S+))?/g)) {
    const key = m[1]!;
    const value = m[2]?.replace(/^"|"$/g, '');
    if (key === 'serves') marker.serves = true;
    else if (key === 'runs') marker.runs = true;
    else if (key === 'needs' && value) marker.needs.push(...value.split(','));
    else if (key === 'env' && value) {
      const i = value.indexOf(':');
      marker.env[value.slice(0, i)] = value.slice(i + 1);
    } else if (value === undefined && marker.name === undefined) marker.name = key;
    else throw new Error(`unknown marker word "${m[0]}" in <!-- example: ${text} -->`);
  }
  return marker;
}

function readmeBlocks(module: string): Block[] {
  const text = readFileSync(join(root, 'src', module, 'README.md'), 'utf8');
  const blocks: Block[] = [];
  for (const m of text.matchAll(
    /(?:<!-- example:([^\n]*?)-->[ \t]*\n)?^```([^\n]*)\n([\s\S]*?)^```[ \t]*$/gm,
  )) {
    const [lang = '', ...info] = m[2]!.trim().split(/\s+/);
    blocks.push({
      module,
      line: text.slice(0, m.index + (m[0].indexOf('```') ?? 0)).split('\n').length,
      lang,
      info: info.join(' '),
      code: m[3]!,
      marker: parseMarker(m[1]),
    });
  }
  return blocks;
}

const modules = readdirSync(join(root, 'src'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(root, 'src', d.name, 'README.md')))
  .map((d) => d.name)
  .sort();
const blocks = modules.flatMap(readmeBlocks);
const label = (b: Block) =>
  `src/${b.module}/README.md:${b.line}${b.marker.name ? ` (${b.marker.name})` : ''}`;

// ---------------------------------------------------------------------------------------------
// ```ts / ```js: ES modules, `meridian/<x>` and `meridian/<x>/io` mapped to the sources.

const workDir = mkdtempSync(join(root, '.readme-examples-'));
const children = new Set<ChildProcess>();
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  rmSync(workDir, { recursive: true, force: true });
});

function toSource(code: string): string {
  return code.replace(/(['"])meridian\/([a-z-]+)(\/io)?\1/g, (_m, _q, module: string, io?: string) =>
    JSON.stringify(join(root, 'src', module, io ? 'io' : '', 'index.ts')),
  );
}

/** The homes that `needs=home` started, by block, for the block's check. */
const homes = new Map<Block, { url: string; sessionKeys: SessionKeyRing }>();

/** The environment a block's `needs=` asks for, and how to clean up after it. */
async function fixtures(
  b: Block,
  dir: string,
): Promise<{ env: Record<string, string>; close(): Promise<void> }> {
  const env: Record<string, string> = { EXAMPLE_DIR: dir, ...b.marker.env };
  const closers: (() => Promise<void>)[] = [];
  for (const need of b.marker.needs) {
    if (need === 'redis') {
      env.REDIS_URL = requireRedisUrl();
      env.KEY_PREFIX = `meridian-test:readme:${randomBytes(6).toString('hex')}`;
      closers.push(async () => {
        const { Redis } = await import('ioredis');
        const redis = new Redis(env.REDIS_URL!);
        const left = await redis.keys(`${env.KEY_PREFIX}:*`);
        if (left.length > 0) await redis.unlink(...left);
        await redis.quit();
      });
    } else if (need === 's3') {
      const s3 = await startS3rver('meridian-escrow');
      Object.assign(env, {
        S3_ENDPOINT: s3.endpoint,
        S3_BUCKET: s3.bucket,
        AWS_ACCESS_KEY_ID: 'S3RVER',
        AWS_SECRET_ACCESS_KEY: 'S3RVER',
      });
      closers.push(() => s3.close());
    } else if (need === 'postgres') {
      env.DATABASE_URL = requireDatabaseUrl();
      env.INGEST_SCHEMA = uniqueSchemaName();
      closers.push(() => dropSchema(env.DATABASE_URL!, env.INGEST_SCHEMA!));
    } else if (need === 'home') {
      // A home on SQLite running the workload README's notes workload, for a service to talk to.
      const signing = generateSigningKeys();
      const secret = `readme-home-secret-${randomBytes(12).toString('hex')}`;
      const ring = `active 1\nkey 1 ${randomBytes(32).toString('base64')}`;
      const home = await startHome({
        workload: notesWorkload,
        host: '127.0.0.1',
        port: 0,
        dataDir: join(dir, 'home'),
        escrowDir: join(dir, 'escrow'),
        signingKey: signing.privateKey,
        adminToken: `readme-home-admin-${randomBytes(12).toString('hex')}`,
        requestSecret: secret,
        buildVersion: 'readme',
      });
      Object.assign(env, {
        HOME_URL: home.url,
        CONFIG_PUBLIC_KEY: signing.publicKey,
        REGION_KEY: Buffer.from(deriveSenderKey(secret, 'region:eu-west-2')).toString('base64'),
        SESSION_KEYS: ring,
      });
      homes.set(b, { url: home.url, sessionKeys: parseSessionKeys(ring, 'readme') });
      closers.push(async () => {
        homes.delete(b);
        await home.stop();
      });
    } else throw new Error(`${label(b)}: unknown needs=${need} (known: redis, s3, postgres, home)`);
  }
  return {
    env,
    async close() {
      for (const c of closers.reverse()) await c();
    },
  };
}

function writeExample(b: Block): { file: string; dir: string } {
  const dir = mkdtempSync(join(workDir, `${b.module}-`));
  const file = join(dir, `example-${b.line}.mts`);
  writeFileSync(file, toSource(b.code));
  return { file, dir };
}

/** Runs a block to completion; resolves to its stdout. */
async function runExample(b: Block): Promise<string> {
  const { file, dir } = writeExample(b);
  const fx = await fixtures(b, dir);
  try {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', file], {
      cwd: root,
      env: { ...process.env, ...fx.env },
      timeout: RUN_DEADLINE_MS,
      encoding: 'utf8',
    });
    return stdout;
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`${label(b)} failed: ${e.stderr || e.message}`);
  } finally {
    await fx.close();
  }
}

/** Starts a `serves` block, waits for the URL it prints, and hands it to `check`; then stops it. */
async function serveExample(b: Block, check: ServeCheck | undefined): Promise<void> {
  const { file, dir } = writeExample(b);
  const fx = await fixtures(b, dir);
  const child = spawn(process.execPath, ['--import', 'tsx', file], {
    cwd: root,
    env: { ...process.env, ...fx.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => {
    out += String(d);
  });
  child.stderr!.on('data', (d) => {
    err += String(d);
  });
  try {
    const url = await until(`${label(b)} to print its http://127.0.0.1:<port> address`, () => {
      if (child.exitCode !== null) throw new Error(`${label(b)} exited with ${child.exitCode}: ${err}`);
      return /http:\/\/127\.0\.0\.1:\d+/.exec(out)?.[0];
    });
    await check?.(url, child, exited, b);
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    await fx.close();
  }
}

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + RUN_DEADLINE_MS / 2;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

type ServeCheck = (
  url: string,
  child: ChildProcess,
  exited: Promise<number | null>,
  block: Block,
) => Promise<void>;

// What particular examples must print or do, beyond running: `<module>:<marker name>`.
const OUTPUT: Record<string, (stdout: string) => void> = {
  'core:clock-and-prefixes': (out) => expect(out).toBe('fired\ntrue\n'),
  'core:signed-request': (out) => expect(out).toMatch(/^true region:eu-west-2\n$/),
  'geo:rtt': (out) => expect(out).toMatch(/^model \d+\.\d ms, measured \d+(\.\d+)? ms\n$/),
  'dns:decode': (out) => expect(out).toBe('1 1232 203.0.113.0/24\n'),
  'policy:rollout-bucket': (out) => expect(out).toBe('true true\n'),
  'region:settings': (out) => expect(out).toBe('16384 1000\n'),
  'session:issue-and-verify': (out) => expect(out).toMatch(/^s_AQFqHXRAah7Fw[A-Za-z0-9_-]+ 64\n$/),
  'lab:rtt-table': (out) => {
    expect(out).toMatch(/^path\s+rtt\s+source/);
    expect(out).toMatch(/cape-town → eu-west-2\s+160\.1 ms\s+measured 150\.1 \+ access 10\.0/);
  },
  'lab:rollout-timeline': (out) =>
    expect(out.trim().split('\n')).toEqual([
      '0s rollout eu-west-2 0.1%',
      '20s rollout eu-west-2 1%',
      '40s rollout eu-west-2 5%',
      '60s rollout eu-west-2 25%',
      '80s rollout eu-west-2 100%',
    ]),
  'lab:latency-link': (out) => expect(out).toMatch(/^curl http:\/\/127\.0\.0\.1:\d+\/$/m),
  'fleet:verdicts': (out) => expect(out).toBe('eu-west-2 up disagreeing: frankfurt\n'),
  'monitor:drain': (out) => expect(out).toContain('eu-west-2:unknown (drained)'),
  'outbox:postgres-ingest': (out) => expect(out).toContain('duplicates: 1'),
  'rum:aggregate': (out) => expect(out).toBe('eu-west-2 sa-east-1\n'),
  'dnssec:ds': (out) => expect(out).toBe('true\n'),
  'dashboard:drain-marker': (out) => expect(out).toBe('drain: eu-west-2 drained by the operator\n'),
  // the values its comments give
  'operator-state:drain-floor': (out) => expect(out).toBe('false serving-floor\ntrue true\n'),
  'workload:notes-workload': (out) => expect(out).toBe('2 notes\n'),
};

const SERVES: Record<string, ServeCheck> = {
  // The fastify README's service: healthy once warm, sessions verified, config served, soft
  // writes relayed home once, metrics; and the adoption lines the README states are the lines
  // between its markers (plus the plugin's import).
  'fastify:service': async (url, _child, _exited, b) => {
    const lines = b.code.split('\n');
    const adoption =
      lines.findIndex((l) => l.includes('// meridian: end')) -
      lines.findIndex((l) => l.includes('// meridian: begin'));
    const readme = readFileSync(join(root, 'src/fastify/README.md'), 'utf8');
    expect(Number(/with the lines between the markers \((\d+) lines/.exec(readme)?.[1])).toBe(adoption);
    const home = homes.get(b)!;
    await until('/healthz 200', async () =>
      (await fetch(`${url}/healthz`)).status === 200 ? true : undefined,
    );
    expect((await fetch(`${url}/livez`)).status).toBe(200);
    expect((await fetch(`${url}/hello`)).status).toBe(401);
    const format = defineSessionFormat({ prefix: 'us', fields: { user: field.string({ maxBytes: 64 }) } });
    const codec = createSessionCodec(format, { keys: home.sessionKeys, clock: systemClock });
    const id = codec.issue({ user: 'ada' }, { ttlSeconds: 600 });
    const hello = await fetch(`${url}/hello`, { headers: { authorization: `Session ${id}` } });
    expect(await hello.json()).toEqual({ user: 'ada', banner: 'hello' });
    const forged = await fetch(`${url}/hello`, {
      headers: { authorization: `Session ${id.slice(0, -2)}xx` },
    });
    expect(forged.status).toBe(401);
    for (const note of ['n1', 'n2', 'n1'])
      expect((await fetch(`${url}/notes/${note}`, { method: 'POST' })).status).toBe(201);
    const stats = await until('both notes at home', async () => {
      const s = (await (await fetch(`${home.url}/v1/stats`)).json()) as { notes: number };
      return s.notes >= 2 ? s : undefined;
    });
    expect(stats).toEqual({ notes: 2 });
    expect(await (await fetch(`${url}/metrics`)).text()).toContain('meridian_outbox_');
  },
  // A guarded admin API refuses what a web page could send it.
  'http:admin-guard': async (url) => {
    const port = Number(new URL(url).port);
    const token = 'readme-example-token-0123456789';
    const auth = { authorization: `Bearer ${token}` };
    const json = { ...auth, 'content-type': 'application/json' };
    const send = (method: string, path: string, headers: Record<string, string>, body?: string) =>
      sendRequest(port, method, path, headers, body);
    expect((await send('POST', '/drain', { ...json, origin: 'http://attacker.example' }, '{}')).status).toBe(
      403,
    );
    expect((await send('GET', '/state', { ...auth, host: `attacker.example:${port}` })).status).toBe(403);
    expect((await send('POST', '/drain', { ...auth, 'content-type': 'text/plain' }, '{}')).status).toBe(415);
    expect((await send('POST', '/drain', { 'content-type': 'application/json' }, '{}')).status).toBe(401);
    expect((await send('GET', '/state', auth)).json()).toEqual({ drained: false });
    expect((await send('POST', '/drain', json, '{}')).json()).toEqual({ drained: true });
  },
  // Serves /healthz, drains on SIGTERM (503 while the grace runs, the app still answers), exits 0.
  'health:drain': async (url, child, exited) => {
    const ok = await fetch(`${url}/healthz`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({
      ok: true,
      checks: [
        { name: 'config-warm', ok: true },
        { name: 'outbox-backlog', critical: false, detail: '0 rows' },
      ],
    });
    child.kill('SIGTERM');
    const red = await until('a 503 from /healthz', async () => {
      const res = await fetch(`${url}/healthz`);
      return res.status === 503 ? res.json() : undefined;
    });
    expect(red).toMatchObject({ ok: false, draining: true });
    expect((await fetch(`${url}/livez`)).status).toBe(200);
    expect((await fetch(`${url}/`)).status).toBe(200);
    expect(await exited).toBe(0);
  },
};

// ---------------------------------------------------------------------------------------------
// ```json and plain blocks that a module's real parser must accept: `<module>:<marker name>`.

const outboxDefaults = (schema: { parse(v: unknown): unknown; safeParse(v: unknown): { data?: unknown } }) =>
  schema.safeParse({ path: 'x', region: 'x' }).data ?? schema.parse({});
const PARSE: Record<string, (code: string) => void> = {
  'home:partner': (code) =>
    expect(partnerSchema.safeParse({ ...JSON.parse(code), id: 'acme' }).success).toBe(true),
  'profiles:snapshot': (code) =>
    expect(profilesConfigSchema.parse(JSON.parse(code)).users.ada).toEqual({ theme: 'dark', lang: 'en' }),
  'links:links-config': (code) =>
    expect(linksConfigSchema.parse(JSON.parse(code)).partners[0]?.id).toBe('acme'),
  'outbox:outbox': (code) =>
    expect(outboxSettingsSchema.parse(JSON.parse(code))).toMatchObject({
      ...(outboxDefaults(outboxSettingsSchema) as object),
      ...JSON.parse(code),
    }),
  'outbox:flusher': (code) =>
    expect(flusherSettingsSchema.parse(JSON.parse(code))).toMatchObject({
      ...(outboxDefaults(flusherSettingsSchema) as object),
      ...JSON.parse(code),
    }),
  'outbox:ingest': (code) =>
    expect(ingestSettingsSchema.parse(JSON.parse(code))).toMatchObject({
      ...(outboxDefaults(ingestSettingsSchema) as object),
      ...JSON.parse(code),
    }),
  // the floor in a world of two regions: valid, and the value its comment gives
  'operator-state:min-serving': (code) => {
    const world = completeWorld(
      [
        'regions:',
        '  us-west-2: { cidr: 10.10.0.0/16, address: 127.0.1.1 }',
        '  eu-west-2: { cidr: 10.20.0.0/16, address: 127.0.2.1 }',
        code,
      ].join('\n'),
    );
    const r = lintWorldText(world);
    expect(r.diagnostics).toEqual([]);
    expect(r.world!.drain.minServing).toBe(2);
  },
  'session:key-ring': (code) => expect(parseSessionKeys(code, 'README').active.id).toBe(2),
  'session:revocations': (code) =>
    expect(sessionRevocationsSchema.parse(JSON.parse(code)).partners).toEqual(['666']),
  'session:layout': (code) => {
    const vectors = JSON.parse(readFileSync(join(root, 'src/session/testdata/session-vectors.json'), 'utf8'));
    const [hex, id] = code.trim().split('\n');
    expect(hex?.replace(/ /g, '')).toBe(vectors.vectors[0].bodyHex);
    expect(id).toBe(vectors.vectors[0].id);
  },
};

// ---------------------------------------------------------------------------------------------
// ```yaml: world files (a block without `zone:` is a fragment, completed with a minimal world).

function completeWorld(fragment: string): string {
  const doc = (parseYaml(fragment) ?? {}) as Record<string, unknown>;
  if ('zone' in doc) return fragment;
  const regions = (doc.regions ?? {}) as Record<string, unknown>;
  const home = Object.keys(regions)[0] ?? 'us-west-2';
  return stringifyYaml({
    zone: 'example.test',
    home,
    ...doc,
    regions:
      Object.keys(regions).length > 0
        ? regions
        : { 'us-west-2': { cidr: '10.10.0.0/16', address: '127.0.1.1' } },
  });
}

// ---------------------------------------------------------------------------------------------
// ```sh: each `meridian …` line names a real command and real options.

function checkCommandLine(program: Command, line: string): string[] {
  const problems: string[] = [];
  const tokens = line
    .replace(/\s#.*$/, '')
    .replace(/\s*(\||&&|&|>).*$/, '')
    .trim()
    .split(/\s+/)
    .slice(1);
  let cmd = program;
  let positional = false;
  const options = (c: Command) => {
    const all: { long?: string; short?: string; required: boolean; optional: boolean }[] = [];
    for (let x: Command | null = c; x; x = x.parent) all.push(...(x.options as never[]));
    return all;
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (/^\[.*\]$/.test(t) || /^<.*>$/.test(t)) continue; // a synopsis placeholder
    if (t.startsWith('-')) {
      const flag = t.split('=')[0]!;
      if (flag === '--help' || flag === '-h') continue;
      const opt = options(cmd).find((o) => o.long === flag || o.short === flag);
      const lenient = (cmd as unknown as { _allowUnknownOption?: boolean })._allowUnknownOption;
      if (!opt && !lenient) problems.push(`'${cmd.name()}' has no option ${flag}`);
      else if (opt && (opt.required || opt.optional) && !t.includes('=')) i++;
      continue;
    }
    const sub = positional ? undefined : cmd.commands.find((c) => c.name() === t || c.aliases().includes(t));
    if (sub) cmd = sub;
    else if (cmd === program && t === 'help') continue;
    else {
      if (cmd === program) problems.push(`no command '${t}'`);
      positional = true;
      if (/^examples\/\S+\.ya?ml$/.test(t) && !existsSync(join(root, t))) problems.push(`no file ${t}`);
    }
  }
  return problems;
}

/** The `meridian …` commands of a sh block; indented `--option` lines continue the line above. */
function commandLines(code: string): string[] {
  const lines: string[] = [];
  for (const raw of code.split('\n')) {
    const line = raw.replace(/^\$ /, '');
    if (/^meridian(\s|$)/.test(line)) lines.push(line.replace(/\\$/, ''));
    else if (/^\s+--/.test(line) && lines.length > 0)
      lines[lines.length - 1] += ` ${line.replace(/\s#.*$/, '')}`;
  }
  return lines;
}

// ---------------------------------------------------------------------------------------------

const RUNNABLE = new Set(['ts', 'js']);
const CHECKED = new Set(['ts', 'js', 'yaml', 'json', 'sh']);
const keyOf = (b: Block) => `${b.module}:${b.marker.name ?? b.info}`;

describe.each(modules)('src/%s/README.md examples', (module) => {
  const mine = blocks.filter((b) => b.module === module);

  it('has at least one example that this test runs or checks, and a reason for every skip', () => {
    const checked = mine.filter((b) => !b.marker.skip && (CHECKED.has(b.lang) || PARSE[keyOf(b)]));
    expect(
      checked.length,
      `src/${module}/README.md needs a ts, js, yaml, json or sh example`,
    ).toBeGreaterThan(0);
    for (const b of mine.filter((x) => x.marker.skip !== undefined))
      expect(b.marker.skip!.length, `${label(b)}: say why it is skipped`).toBeGreaterThan(10);
    for (const b of mine.filter((x) => x.marker.name))
      expect(
        OUTPUT[keyOf(b)] ?? SERVES[keyOf(b)] ?? PARSE[keyOf(b)] ?? RUNNABLE.has(b.lang),
        `${label(b)}: a named block has a check`,
      ).toBeTruthy();
  });

  for (const b of mine) {
    if (b.marker.skip) {
      it.skip(`${label(b)}: ${b.marker.skip}`, () => {});
      continue;
    }
    const key = keyOf(b);
    if (RUNNABLE.has(b.lang) && b.marker.serves) {
      it(`${label(b)} serves and stops`, { timeout: RUN_DEADLINE_MS * 2 }, () =>
        serveExample(b, SERVES[key]),
      );
    } else if (RUNNABLE.has(b.lang)) {
      it.concurrent(`${label(b)} runs`, { timeout: RUN_DEADLINE_MS * 2 }, async () => {
        const out = await runExample(b);
        OUTPUT[key]?.(out);
      });
    } else if (PARSE[key]) {
      it(`${label(b)} parses with the real schema`, () => PARSE[key]!(b.code));
    } else if (b.lang === 'yaml') {
      it(`${label(b)} is a valid world file (or fragment)`, () => {
        const result = lintWorldText(completeWorld(b.code), label(b));
        expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        expect(result.world).toBeDefined();
      });
    } else if (b.lang === 'json') {
      it(`${label(b)} is JSON`, () => {
        JSON.parse(b.code);
      });
    } else if (b.lang === 'sh' && b.marker.runs) {
      it(`${label(b)} runs through the CLI`, async () => {
        for (const line of commandLines(b.code)) {
          const expected = Number(/#\s*exit (\d+)/.exec(line)?.[1] ?? 0);
          const argv = line
            .replace(/\s#.*$/, '')
            .trim()
            .split(/\s+/)
            .slice(1);
          const out: string[] = [];
          const code = await main(argv, {
            out: (s) => out.push(s),
            err: (s) => out.push(s),
            setExitCode: () => {},
          });
          expect(code, `${line}\n${out.join('\n')}`).toBe(expected);
        }
      });
    } else if (b.lang === 'sh' && commandLines(b.code).length > 0) {
      it(`${label(b)} uses real commands and options`, () => {
        const program = buildProgram({ out: () => {}, err: () => {}, setExitCode: () => {} } as never);
        const problems = commandLines(b.code).flatMap((l) =>
          checkCommandLine(program, l).map((p) => `${l}: ${p}`),
        );
        expect(problems).toEqual([]);
      });
    }
  }
});

describe('module README facts', () => {
  it('the gslb README documents the listen and admin defaults that the code uses', () => {
    const text = readFileSync(join(root, 'src/gslb/README.md'), 'utf8');
    const row = (option: string, value: string) =>
      new RegExp(`\\| \`${option}\`\\s*\\| \`${value.replaceAll('.', '\\.')}\``);
    expect(text).toMatch(row('--listen', `${DEFAULT_LISTEN.host}:${DEFAULT_LISTEN.port}`));
    expect(text).toMatch(row('--admin', `${DEFAULT_ADMIN.host}:${DEFAULT_ADMIN.port}`));
  });

  it('the home README lists every migration', () => {
    const text = readFileSync(join(root, 'src/home/README.md'), 'utf8');
    for (const migration of HOME_MIGRATIONS) expect(text).toContain(`v${migration.version} `);
  });
});
