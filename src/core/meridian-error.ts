// The one error class Meridian throws: a stable code (listed in docs/errors.md) plus a cause.

/** A failure with a stable, documented `code` such as `MERIDIAN_WORLD_INVALID`. */
export class MeridianError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = 'MeridianError';
  }
}

/** True when `err` is a MeridianError, optionally with the given code. */
export function isMeridianError(err: unknown, code?: string): err is MeridianError {
  return err instanceof MeridianError && (code === undefined || err.code === code);
}
