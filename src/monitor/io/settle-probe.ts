// One probe attempt's lifecycle: the deadline, the caller's abort signal, and settling exactly once.
import type { ProbeResult, ProbeTarget } from '../probe.js';

/** Ends the attempt: ok, or not ok with why (`failed` when no reason is given). */
export type FinishProbe = (ok: boolean, error?: string) => void;

/**
 * Runs `begin` (which starts the check and calls `finish`) under `target.timeoutMs` and
 * `target.signal`, and resolves once with the first outcome; the handle `begin` returns (a
 * socket or request) is destroyed when the attempt settles. At the deadline the poll phase runs
 * once more (setImmediate) before failing: after a stall, expired timers run before sockets are
 * read, and an answer that arrived in time must not lose to a timer that merely ran late.
 * Never rejects.
 */
export function settleProbe(
  target: ProbeTarget,
  begin: (finish: FinishProbe) => { destroy(): void } | undefined,
): Promise<ProbeResult> {
  return new Promise<ProbeResult>((resolve) => {
    const started = performance.now();
    let settled = false;
    let handle: { destroy(): void } | undefined;
    const finish: FinishProbe = (ok, error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      target.signal?.removeEventListener('abort', onAbort);
      handle?.destroy();
      const durationMs = performance.now() - started;
      resolve(ok ? { ok, durationMs } : { ok, durationMs, error: error ?? 'failed' });
    };
    const onAbort = (): void => finish(false, 'aborted');
    const timer = setTimeout(() => setImmediate(() => finish(false, 'timeout')), target.timeoutMs);
    if (target.signal?.aborted) return finish(false, 'aborted');
    target.signal?.addEventListener('abort', onAbort, { once: true });
    handle = begin(finish);
    if (settled) handle?.destroy();
  });
}
