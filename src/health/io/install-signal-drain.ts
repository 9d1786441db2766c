// SIGTERM → drain → grace period → stop: how a region leaves the GSLB's answers before it exits.
import { type Clock, systemClock } from '../../core/index.js';
import type { HealthRegistry } from '../health-registry.js';

/** The part of `process` this needs (tests pass an EventEmitter). */
export interface SignalSource {
  on(signal: NodeJS.Signals, listener: () => void): unknown;
  off(signal: NodeJS.Signals, listener: () => void): unknown;
}

export interface SignalDrainOptions {
  registry: HealthRegistry;
  /**
   * How long /healthz stays red before `stop` runs: at least the prober's `fall × intervalMs`
   * plus the DNS TTL, so clients have moved elsewhere before the listener closes.
   */
  graceMs: number;
  /** Closes the server and everything else (e.g. `() => app.close()`). */
  stop: () => Promise<void> | void;
  signals?: readonly NodeJS.Signals[];
  clock?: Clock;
  source?: SignalSource;
}

export interface SignalDrain {
  /** Resolves once `stop` has finished (rejects if it threw). */
  readonly stopped: Promise<void>;
  /** Starts the same sequence as the signal would (drain now, stop after the grace period). */
  trigger(): void;
  /** Removes the signal listeners and cancels a pending stop. */
  uninstall(): void;
}

/**
 * Listens for SIGTERM (default) on `process`. The first signal drains the registry and stops
 * after `graceMs`; a second signal during the grace period stops at once.
 */
export function installSignalDrain(options: SignalDrainOptions): SignalDrain {
  const clock = options.clock ?? systemClock;
  const source: SignalSource = options.source ?? process;
  const signals = options.signals ?? ['SIGTERM'];
  let cancelTimer: (() => void) | undefined;
  let drained = false;
  let stopping = false;
  let resolveStopped!: () => void;
  let rejectStopped!: (err: unknown) => void;
  const stopped = new Promise<void>((resolve, reject) => {
    resolveStopped = resolve;
    rejectStopped = reject;
  });
  stopped.catch(() => {});

  const stopNow = () => {
    if (stopping) return;
    stopping = true;
    cancelTimer?.();
    uninstall();
    Promise.resolve()
      .then(() => options.stop())
      .then(resolveStopped, rejectStopped);
  };
  const onSignal = () => {
    if (drained) return stopNow();
    drained = true;
    options.registry.drain();
    cancelTimer = clock.setTimeout(stopNow, options.graceMs);
  };
  const uninstall = () => {
    for (const s of signals) source.off(s, onSignal);
    if (!stopping) cancelTimer?.();
  };
  for (const s of signals) source.on(s, onSignal);
  return { stopped, trigger: onSignal, uninstall };
}
