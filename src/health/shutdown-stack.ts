// What a program opened, closed in reverse order on the way out: every close runs even when one
// before it fails, and the failures are reported together instead of swallowed or half-done.
import { MeridianError } from '../core/index.js';

export interface ShutdownFailure {
  readonly name: string;
  readonly error: unknown;
}

/** A last-in, first-out list of named closes. No I/O of its own. */
export class ShutdownStack {
  readonly #entries: { name: string; close: () => Promise<void> | void }[] = [];
  #closing: Promise<ShutdownFailure[]> | undefined;

  /** Registers `close` for a resource just opened (it will be closed before everything opened earlier). */
  push(name: string, close: () => Promise<void> | void): void {
    if (this.#closing) {
      throw new MeridianError('MERIDIAN_SHUTDOWN_CLOSED', `cannot register "${name}": shutdown has begun`);
    }
    this.#entries.push({ name, close });
  }

  /** Names in the order they will close. */
  get order(): readonly string[] {
    return this.#entries.map((e) => e.name).reverse();
  }

  /**
   * Closes everything in reverse order of `push`, one at a time, going on past a failing close
   * (`onFailure` hears of each as it happens). Idempotent: later calls get the same result.
   */
  close(onFailure?: (failure: ShutdownFailure) => void): Promise<ShutdownFailure[]> {
    this.#closing ??= (async () => {
      const failures: ShutdownFailure[] = [];
      for (const { name, close } of [...this.#entries].reverse()) {
        try {
          await close();
        } catch (error) {
          const failure = { name, error };
          failures.push(failure);
          onFailure?.(failure);
        }
      }
      return failures;
    })();
    return this.#closing;
  }

  /** `close()`, then throws MERIDIAN_SHUTDOWN_INCOMPLETE naming each close that failed. */
  async closeOrThrow(what: string): Promise<void> {
    const failures = await this.close();
    if (failures.length > 0) throw shutdownIncomplete(what, failures);
  }
}

/** The error a program's stop raises when some of its closes failed (all of them were tried). */
export function shutdownIncomplete(what: string, failures: readonly ShutdownFailure[]): MeridianError {
  return new MeridianError(
    'MERIDIAN_SHUTDOWN_INCOMPLETE',
    `${what} stopped, but ${failures.length} of its resources failed to close: ${failures
      .map((f) => `${f.name} (${(f.error as Error)?.message ?? String(f.error)})`)
      .join('; ')}`,
    { cause: failures[0]?.error },
  );
}
