// Runs the world's programs as named child processes: logs to files, signals on demand
// (SIGKILL for region-down, SIGSTOP/SIGCONT for region-pause), restart, and a stop-all that
// leaves no process behind, also on SIGINT/SIGTERM and on exit.
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { MeridianError } from '../../core/index.js';

export interface ChildSpec {
  /** Unique name (`region-eu-west-2`, `home`, `gslb`); also the log file's name. */
  readonly name: string;
  /** The Node script to run. */
  readonly script: string;
  readonly args?: readonly string[];
  /** Node flags (`--import tsx`). */
  readonly execArgv?: readonly string[];
  /** Added to the parent's environment. */
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
}

export interface ChildStatus {
  readonly name: string;
  readonly pid: number | undefined;
  readonly state: 'running' | 'paused' | 'exited';
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly starts: number;
  readonly logPath: string;
}

export interface ProcessSupervisorOptions {
  /** Directory for `<name>.log` (created if missing). */
  readonly logDir: string;
  /** How long a child gets after SIGTERM before SIGKILL (default 3000 ms). */
  readonly stopGraceMs?: number;
  /** Called when a child exits (expected or not). */
  readonly onExit?: (status: ChildStatus) => void;
  /** Called for each IPC message a child sends (`process.send`). */
  readonly onMessage?: (name: string, message: unknown) => void;
}

interface Entry {
  spec: ChildSpec;
  child: ChildProcess | undefined;
  state: ChildStatus['state'];
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  starts: number;
  exited: Promise<void>;
}

/**
 * Children run in their own process group, so a signal reaches any grandchildren too. Each
 * child gets an IPC channel; a well-behaved child exits when it disconnects (parent gone).
 */
export class ProcessSupervisor {
  readonly #options: ProcessSupervisorOptions;
  readonly #entries = new Map<string, Entry>();
  #handlersInstalled = false;
  readonly #onSignal = (signal: NodeJS.Signals) => {
    void this.stopAll().then(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  readonly #onExit = () => this.killAllNow();

  constructor(options: ProcessSupervisorOptions) {
    this.#options = options;
  }

  /** Spawns a child; resolves once it is running. Throws MERIDIAN_LAB_SPAWN_FAILED. */
  async start(spec: ChildSpec): Promise<ChildStatus> {
    const existing = this.#entries.get(spec.name);
    if (existing && existing.state !== 'exited') {
      throw new MeridianError(
        'MERIDIAN_LAB_SPAWN_FAILED',
        `a process named "${spec.name}" is already running`,
      );
    }
    mkdirSync(this.#options.logDir, { recursive: true });
    const logPath = this.logPath(spec.name);
    const fd = openSync(logPath, 'a');
    let child: ChildProcess;
    try {
      child = spawn(process.execPath, [...(spec.execArgv ?? []), spec.script, ...(spec.args ?? [])], {
        cwd: spec.cwd,
        env: { ...process.env, ...spec.env },
        stdio: ['ignore', fd, fd, 'ipc'],
        detached: true,
      });
    } finally {
      closeSync(fd);
    }
    const entry: Entry = {
      spec,
      child,
      state: 'running',
      exitCode: null,
      signal: null,
      starts: (existing?.starts ?? 0) + 1,
      exited: Promise.resolve(),
    };
    entry.exited = new Promise<void>((resolve) => {
      child.once('exit', (code, signal) => {
        entry.state = 'exited';
        entry.exitCode = code;
        entry.signal = signal;
        resolve();
        this.#options.onExit?.(this.#status(entry));
      });
    });
    child.on('message', (m) => this.#options.onMessage?.(spec.name, m));
    child.on('error', () => {});
    this.#entries.set(spec.name, entry);
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', () => resolve());
      child.once('error', (err) =>
        reject(
          new MeridianError('MERIDIAN_LAB_SPAWN_FAILED', `cannot start "${spec.name}": ${err.message}`, {
            cause: err,
          }),
        ),
      );
    });
    return this.#status(entry);
  }

  /** Where a child's stdout and stderr go. */
  logPath(name: string): string {
    return join(this.#options.logDir, `${name}.log`);
  }

  status(name: string): ChildStatus | undefined {
    const e = this.#entries.get(name);
    return e ? this.#status(e) : undefined;
  }

  list(): ChildStatus[] {
    return [...this.#entries.values()].map((e) => this.#status(e));
  }

  /** The spec a child was (last) started with: to start a variant of it (drift drills). */
  spec(name: string): ChildSpec | undefined {
    return this.#entries.get(name)?.spec;
  }

  /** PIDs of children that have not exited. */
  livePids(): number[] {
    return [...this.#entries.values()]
      .filter((e) => e.state !== 'exited' && e.child?.pid !== undefined)
      .map((e) => e.child!.pid!);
  }

  /**
   * Sends `signal` to the child's process group. SIGSTOP marks it paused, SIGCONT running.
   * Throws MERIDIAN_LAB_NO_SUCH_PROCESS for an unknown or exited child.
   */
  kill(name: string, signal: NodeJS.Signals): void {
    const e = this.#entries.get(name);
    if (!e || e.state === 'exited' || !e.child?.pid) {
      throw new MeridianError('MERIDIAN_LAB_NO_SUCH_PROCESS', `no running process named "${name}"`);
    }
    signalGroup(e.child.pid, signal);
    if (signal === 'SIGSTOP') e.state = 'paused';
    if (signal === 'SIGCONT') e.state = 'running';
  }

  /** Resolves when the child has exited (immediately if it has). */
  async waitForExit(name: string): Promise<void> {
    await this.#entries.get(name)?.exited;
  }

  /** Stops a child (SIGTERM, then SIGKILL after the grace period); resolves once it exited. */
  async stop(name: string): Promise<void> {
    const e = this.#entries.get(name);
    if (!e || e.state === 'exited' || !e.child?.pid) return;
    const pid = e.child.pid;
    signalGroup(pid, 'SIGTERM');
    signalGroup(pid, 'SIGCONT'); // a paused child must run to handle SIGTERM
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.#options.stopGraceMs ?? 3000);
    });
    const outcome = await Promise.race([e.exited.then(() => 'exited' as const), grace]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      signalGroup(pid, 'SIGKILL');
      await e.exited;
    }
    // Grandchildren that outlived the leader.
    signalGroup(pid, 'SIGKILL');
  }

  /** Stops then starts a child with the same spec. */
  async restart(name: string): Promise<ChildStatus> {
    const e = this.#entries.get(name);
    if (!e) throw new MeridianError('MERIDIAN_LAB_NO_SUCH_PROCESS', `no process named "${name}"`);
    await this.stop(name);
    return this.start(e.spec);
  }

  /** Stops every child in parallel. */
  async stopAll(): Promise<void> {
    await Promise.all([...this.#entries.keys()].map((name) => this.stop(name)));
  }

  /** SIGKILLs every child group synchronously (for `process.on('exit')`). */
  killAllNow(): void {
    for (const e of this.#entries.values()) {
      if (e.state !== 'exited' && e.child?.pid) signalGroup(e.child.pid, 'SIGKILL');
    }
  }

  /** On SIGINT/SIGTERM: stop all, then exit (130/143). On exit: SIGKILL whatever is left. */
  installSignalHandlers(): void {
    if (this.#handlersInstalled) return;
    this.#handlersInstalled = true;
    process.once('SIGINT', this.#onSignal);
    process.once('SIGTERM', this.#onSignal);
    process.once('exit', this.#onExit);
  }

  removeSignalHandlers(): void {
    if (!this.#handlersInstalled) return;
    this.#handlersInstalled = false;
    process.off('SIGINT', this.#onSignal);
    process.off('SIGTERM', this.#onSignal);
    process.off('exit', this.#onExit);
  }

  #status(e: Entry): ChildStatus {
    return {
      name: e.spec.name,
      pid: e.child?.pid,
      state: e.state,
      exitCode: e.exitCode,
      signal: e.signal,
      starts: e.starts,
      logPath: this.logPath(e.spec.name),
    };
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is gone
  }
}
