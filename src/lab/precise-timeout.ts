// A one-shot timer for sub-millisecond deadlines on the real clock. Node's timers count whole
// milliseconds from the event loop's cached time, so a 1 ms timer fires anywhere between ~0
// and ~2 ms after it was set: far too coarse for a latency link playing out a 2 ms round
// trip. This waits out the whole milliseconds with a timer, then the last fraction with
// `setImmediate` turns, and calls back on the first turn at or past the deadline.

/**
 * Calls `fn` once `performance.now() >= dueAtMs`, never earlier and never synchronously (a
 * past deadline runs on the next turn); returns a cancel function.
 */
export function preciseTimeout(fn: () => void, dueAtMs: number): () => void {
  let timer: NodeJS.Timeout | undefined;
  let immediate: NodeJS.Immediate | undefined;
  let first = true;
  const check = (): void => {
    timer = undefined;
    immediate = undefined;
    const left = dueAtMs - performance.now();
    if (left <= 0 && !first) {
      fn();
      return;
    }
    first = false;
    if (left >= 1) {
      // Fires at most ~1 ms early (the loop's cached time lags); the rest is spun below.
      // (Waking earlier and spinning longer was measured: no better, on a loaded machine.)
      timer = setTimeout(check, Math.floor(left));
      timer.unref();
    } else {
      // Kept referenced: an unreferenced immediate lets the loop block in poll, and oversleep.
      immediate = setImmediate(check);
    }
  };
  check();
  return () => {
    if (timer) clearTimeout(timer);
    if (immediate) clearImmediate(immediate);
    timer = undefined;
    immediate = undefined;
  };
}
