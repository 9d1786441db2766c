// The two monitor settings the failover bench and soak measure.

/** The world file's defaults. */
export const DEFAULT_SETTINGS = { intervalMs: 500, timeoutMs: 300, rise: 2, fall: 2 };

/**
 * The fastest settings we support for production use: a probe every 100 ms, a 100 ms timeout,
 * two results in a row to flip. The schema accepts less (50 ms, 10 ms, 1/1), but below this a
 * loaded 2-core host starts to miss timeouts and a single result would flip a region.
 */
export const FASTEST_SETTINGS = { intervalMs: 100, timeoutMs: 100, rise: 2, fall: 2 };
