import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { isMeridianError } from '../../core/index.js';
import { ProcessSupervisor } from './process-supervisor.js';
import { untilTrue } from './test-support/until.js';

const dir = mkdtempSync(join(tmpdir(), 'meridian-lab-supervisor-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const script = (name: string, body: string): string => {
  const path = join(dir, name);
  writeFileSync(path, body);
  return path;
};
const SLEEPER = script('sleeper.cjs', "console.log('up ' + process.pid);\nsetInterval(() => {}, 1000);\n");
const STUBBORN = script(
  'stubborn.cjs',
  "process.on('SIGTERM', () => console.log('ignoring SIGTERM'));\nprocess.send?.({ ready: true });\nsetInterval(() => {}, 1000);\n",
);
const FORKER = script(
  'forker.cjs',
  "const { spawn } = require('node:child_process');\nconst c = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });\nprocess.send({ grandchild: c.pid });\nprocess.on('SIGTERM', () => {});\nsetInterval(() => {}, 1000);\n",
);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // A zombie is dead, just not yet reaped.
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

const until = (cond: () => boolean, what: string, ms = 15_000) => untilTrue(cond, what, ms, 10);

let sup: ProcessSupervisor | undefined;
afterEach(async () => {
  await sup?.stopAll();
  sup = undefined;
});

describe('ProcessSupervisor', () => {
  it('starts named children, captures their logs, and stops all with none left', async () => {
    const messages: unknown[] = [];
    sup = new ProcessSupervisor({
      logDir: join(dir, 'logs'),
      stopGraceMs: 300,
      onMessage: (_n, m) => messages.push(m),
    });
    const a = await sup.start({ name: 'sleeper', script: SLEEPER });
    const b = await sup.start({ name: 'stubborn', script: STUBBORN });
    const c = await sup.start({ name: 'forker', script: FORKER });
    await until(() => messages.some((m) => (m as { grandchild?: number }).grandchild), 'grandchild pid');
    // The stubborn child must have installed its SIGTERM handler before we stop it.
    await until(() => messages.some((m) => (m as { ready?: boolean }).ready), 'stubborn ready');
    const grandchild = (
      messages.find((m) => (m as { grandchild?: number }).grandchild) as { grandchild: number }
    ).grandchild;
    await until(() => readFileSync(sup!.logPath('sleeper'), 'utf8').includes(`up ${a.pid}`), 'sleeper log');
    const pids = [a.pid!, b.pid!, c.pid!, grandchild];
    expect(pids.every(alive)).toBe(true);
    await sup.stopAll();
    expect(pids.filter(alive)).toEqual([]);
    expect(sup.status('stubborn')).toMatchObject({ state: 'exited', signal: 'SIGKILL' });
    expect(sup.status('sleeper')).toMatchObject({ state: 'exited', signal: 'SIGTERM' });
    expect(readFileSync(sup.logPath('stubborn'), 'utf8')).toContain('ignoring SIGTERM');
  });

  it('kills with a chosen signal, pauses and resumes, and restarts', async () => {
    const exits: string[] = [];
    sup = new ProcessSupervisor({
      logDir: join(dir, 'logs'),
      onExit: (s) => exits.push(`${s.name}:${s.signal}`),
    });
    const first = await sup.start({ name: 'region-a', script: SLEEPER });
    sup.kill('region-a', 'SIGSTOP');
    expect(sup.status('region-a')?.state).toBe('paused');
    await until(() => /^\d+ \(.*\) T/.test(readFileSync(`/proc/${first.pid}/stat`, 'utf8')), 'stopped state');
    sup.kill('region-a', 'SIGCONT');
    expect(sup.status('region-a')?.state).toBe('running');
    sup.kill('region-a', 'SIGKILL');
    await sup.waitForExit('region-a');
    expect(exits).toEqual(['region-a:SIGKILL']);
    expect(alive(first.pid!)).toBe(false);
    const second = await sup.restart('region-a');
    expect(second.pid).not.toBe(first.pid);
    expect(second.starts).toBe(2);
    expect(alive(second.pid!)).toBe(true);
    expect(() => sup!.kill('nobody', 'SIGKILL')).toThrow(
      expect.objectContaining({ code: 'MERIDIAN_LAB_NO_SUCH_PROCESS' }),
    );
  });

  it('stops a paused child', async () => {
    sup = new ProcessSupervisor({ logDir: join(dir, 'logs'), stopGraceMs: 300 });
    const s = await sup.start({ name: 'paused', script: STUBBORN });
    sup.kill('paused', 'SIGSTOP');
    await sup.stop('paused');
    expect(alive(s.pid!)).toBe(false);
  });

  it('refuses a second child with the same name', async () => {
    sup = new ProcessSupervisor({ logDir: join(dir, 'logs') });
    await sup.start({ name: 'one', script: SLEEPER });
    await expect(sup.start({ name: 'one', script: SLEEPER })).rejects.toSatisfy((e) =>
      isMeridianError(e, 'MERIDIAN_LAB_SPAWN_FAILED'),
    );
  });

  it('on SIGINT, a supervising process stops every child (even one ignoring SIGTERM) and exits', async () => {
    const supervisorModule = fileURLToPath(new URL('./process-supervisor.ts', import.meta.url));
    const main = script(
      'main.mts',
      `import { ProcessSupervisor } from ${JSON.stringify(supervisorModule)};
const sup = new ProcessSupervisor({ logDir: ${JSON.stringify(join(dir, 'main-logs'))}, stopGraceMs: 300 });
sup.installSignalHandlers();
const a = await sup.start({ name: 'a', script: ${JSON.stringify(SLEEPER)} });
const b = await sup.start({ name: 'b', script: ${JSON.stringify(STUBBORN)} });
console.log(JSON.stringify([a.pid, b.pid]));
setInterval(() => {}, 1000);
`,
    );
    const parent = spawn(process.execPath, ['--import', 'tsx', main], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    parent.stdout.on('data', (b: Buffer) => {
      out += b.toString();
    });
    const exited = new Promise<number | null>((r) => parent.once('exit', (code) => r(code)));
    await until(() => out.includes(']'), 'child pids', 30_000);
    const pids = JSON.parse(out.trim().split('\n').at(-1)!) as number[];
    expect(pids.every(alive)).toBe(true);
    parent.kill('SIGINT');
    expect(await exited).toBe(130);
    await until(() => pids.every((p) => !alive(p)), 'children gone');
    expect(pids.filter(alive)).toEqual([]);
  });
});
