// One lifecycle for the long-running programs (`dns`, `home`, `region`, `probe`): the ready line
// and IPC message, SIGTERM/SIGINT (and the parent going away under `meridian up`), an optional
// drain with a grace period, then every resource closed in reverse order of opening. A close
// that fails is logged and the rest still close; the exit code is then non-zero.
import type { Clock } from '../core/index.js';
import { type HealthRegistry, ShutdownStack } from '../health/index.js';
import { installSignalDrain } from '../health/io/index.js';
import type { CliIo } from './cli-io.js';
import { EXIT_FAILED, EXIT_OK } from './exit-codes.js';

/** The part of `process` the lifecycle uses (tests pass an EventEmitter with these). */
export interface LifecycleProcess {
  on(event: string, listener: () => void): unknown;
  off(event: string, listener: () => void): unknown;
  /** Present when a parent started this process with an IPC channel (`meridian up`). */
  send?: ((message: unknown) => unknown) | undefined;
}

export interface ProgramLifecycleOptions {
  /** How the program names itself in log lines (`home`, `region eu-west-2`, `meridian dns`). */
  readonly label: string;
  readonly io: CliIo;
  /**
   * Drain first: the first signal turns /healthz red and the program stops after `graceMs`
   * (a second signal stops it at once). Without it the first signal stops at once.
   */
  readonly drain?: { readonly registry: HealthRegistry; readonly graceMs: number };
  readonly process?: LifecycleProcess;
  readonly clock?: Clock;
}

export interface ProgramLifecycle {
  /** Registers a resource just opened: it closes before everything opened earlier. */
  opened(name: string, close: () => Promise<void> | void): void;
  /**
   * Says the program serves: prints `line` (stdout, or stderr for programs whose stdout is
   * data) and sends `{type: 'ready', ...message}` to a parent, if any.
   */
  ready(line: string, message: Readonly<Record<string, unknown>>, stream?: 'out' | 'err'): void;
  /** Starts the stop sequence as a signal would (tests, or a program that decides to stop). */
  stop(): void;
  /**
   * Resolves once a signal came and everything is closed; sets the exit code (EXIT_FAILED if
   * any close failed). Resources opened before a failure to start are closed by `abort`.
   */
  untilStopped(): Promise<void>;
  /** Closes what was opened so far (a start that failed half-way) and logs failures; never throws. */
  abort(): Promise<void>;
}

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/** Installs the signal handlers at once: a signal before `ready` stops the program too. */
export function programLifecycle(options: ProgramLifecycleOptions): ProgramLifecycle {
  const { label, io } = options;
  const proc: LifecycleProcess = options.process ?? process;
  const stack = new ShutdownStack();
  const closeAll = async (): Promise<boolean> => {
    const failures = await stack.close((f) =>
      io.err(`${label}: closing ${f.name} failed: ${(f.error as Error)?.message ?? String(f.error)}`),
    );
    return failures.length === 0;
  };
  let closed: Promise<boolean> | undefined;
  const closeOnce = () => {
    closed ??= closeAll();
    return closed;
  };
  // Without a drain, a registry-free sequence: the first signal stops at once.
  let stopNow!: () => void;
  const requested = new Promise<void>((resolve) => {
    stopNow = resolve;
  });
  const drain = options.drain
    ? installSignalDrain({
        registry: options.drain.registry,
        graceMs: options.drain.graceMs,
        stop: () => stopNow(),
        signals: SIGNALS,
        source: proc,
        ...(options.clock ? { clock: options.clock } : {}),
      })
    : undefined;
  const trigger = () => (drain ? drain.trigger() : stopNow());
  if (!drain) for (const s of SIGNALS) proc.on(s, trigger);
  // Under a parent (an IPC channel), the parent going away counts as SIGTERM, ready or not.
  const onDisconnect = () => trigger();
  if (proc.send) proc.on('disconnect', onDisconnect);
  const uninstall = () => {
    if (drain) drain.uninstall();
    else for (const s of SIGNALS) proc.off(s, trigger);
    proc.off('disconnect', onDisconnect);
  };
  return {
    opened: (name, close) => stack.push(name, close),
    ready(line, message, stream = 'out') {
      io[stream](line);
      proc.send?.({ type: 'ready', ...message });
    },
    stop: trigger,
    async untilStopped() {
      await requested;
      uninstall();
      const ok = await closeOnce();
      io.setExitCode(ok ? EXIT_OK : EXIT_FAILED);
    },
    async abort() {
      uninstall();
      await closeOnce();
    },
  };
}
