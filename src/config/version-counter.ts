// Where a publisher keeps the last version it issued apart from escrow, so losing the escrow pointer never restarts numbering.

/**
 * A durable per-config version counter (home keeps it in its database). Versions are reserved
 * before anything is written to escrow, so a version is never issued twice even when a write
 * fails after the reservation (the version is skipped instead).
 */
export interface VersionCounter {
  /** The highest version reserved so far for `name` (0 when none). */
  last(name: string): Promise<number>;
  /**
   * Reserves and returns the next version of `name`: above every version reserved before, and
   * at least `floor`. Durable before it resolves.
   */
  reserve(name: string, floor: number): Promise<number>;
}
