// The lifecycle every long-running command shares, driven by a fake process and a manual clock.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../core/index.js';
import { HealthRegistry } from '../health/index.js';
import type { CliIo } from './cli-io.js';
import { EXIT_FAILED, EXIT_OK } from './exit-codes.js';
import { programLifecycle } from './program-lifecycle.js';

function fakeIo() {
  const lines: string[] = [];
  const state = { exitCode: -1 };
  const io: CliIo = {
    out: (l) => lines.push(`out: ${l}`),
    err: (l) => lines.push(`err: ${l}`),
    setExitCode: (c) => {
      state.exitCode = c;
    },
  };
  return { io, lines, state };
}

class FakeProcess extends EventEmitter {
  readonly sent: unknown[] = [];
  send?: (m: unknown) => boolean = (m) => {
    this.sent.push(m);
    return true;
  };
}

describe('programLifecycle', () => {
  it('on SIGTERM closes in reverse order, logs a failing close, goes on, and exits non-zero', async () => {
    const { io, lines, state } = fakeIo();
    const proc = new FakeProcess();
    const life = programLifecycle({ label: 'home', io, process: proc });
    const closed: string[] = [];
    life.opened('database', () => {
      closed.push('database');
    });
    life.opened('ingest', async () => {
      closed.push('ingest');
      throw new Error('fsync failed');
    });
    life.opened('http', () => {
      closed.push('http');
    });
    life.ready('home listening on http://127.0.0.1:7000', { url: 'http://127.0.0.1:7000' });
    expect(proc.sent).toEqual([{ type: 'ready', url: 'http://127.0.0.1:7000' }]);
    const stopped = life.untilStopped();
    proc.emit('SIGTERM');
    await stopped;
    expect(closed).toEqual(['http', 'ingest', 'database']);
    expect(lines).toEqual([
      'out: home listening on http://127.0.0.1:7000',
      'err: home: closing ingest failed: fsync failed',
    ]);
    expect(state.exitCode).toBe(EXIT_FAILED);
    expect(
      proc.listenerCount('SIGTERM') + proc.listenerCount('SIGINT') + proc.listenerCount('disconnect'),
    ).toBe(0);
  });

  it('exits 0 when every close succeeds; SIGINT stops too', async () => {
    const { io, state } = fakeIo();
    const proc = new FakeProcess();
    const life = programLifecycle({ label: 'meridian dns', io, process: proc });
    let closed = false;
    life.opened('gslb', () => {
      closed = true;
    });
    life.ready('meridian dns: serving', { dnsPort: 53 }, 'err');
    const stopped = life.untilStopped();
    proc.emit('SIGINT');
    await stopped;
    expect(closed).toBe(true);
    expect(state.exitCode).toBe(EXIT_OK);
  });

  it('with a drain, turns /healthz red and closes only after the grace period (or a second signal)', async () => {
    const clock = new ManualClock(0);
    const { io } = fakeIo();
    const proc = new FakeProcess();
    const registry = new HealthRegistry({ clock });
    const life = programLifecycle({
      label: 'region r',
      io,
      process: proc,
      clock,
      drain: { registry, graceMs: 5_000 },
    });
    let closed = false;
    life.opened('region', () => {
      closed = true;
    });
    life.ready('region r listening on http://127.0.0.1:1', { url: 'http://127.0.0.1:1' });
    const stopped = life.untilStopped();
    // The parent going away counts as SIGTERM.
    proc.emit('disconnect');
    expect(registry.draining).toBe(true);
    await Promise.resolve();
    expect(closed).toBe(false);
    clock.advance(5_000);
    await stopped;
    expect(closed).toBe(true);

    const second = programLifecycle({
      label: 'region s',
      io,
      process: proc,
      clock,
      drain: { registry, graceMs: 5_000 },
    });
    let secondClosed = false;
    second.opened('region', () => {
      secondClosed = true;
    });
    const done = second.untilStopped();
    proc.emit('SIGTERM');
    proc.emit('SIGTERM');
    await done;
    expect(secondClosed).toBe(true);
  });

  it('abort closes what a failed start had opened, and never throws', async () => {
    const { io, lines } = fakeIo();
    const proc = new FakeProcess();
    delete proc.send;
    const life = programLifecycle({ label: 'home', io, process: proc });
    life.opened('database', () => Promise.reject(new Error('already closed')));
    await life.abort();
    expect(lines).toEqual(['err: home: closing database failed: already closed']);
    expect(proc.listenerCount('SIGTERM')).toBe(0);
  });
});
