// Where a region keeps a copy of the last accepted envelope so it can start with home and escrow away.

export interface LastGoodCopy {
  /** The envelope exactly as accepted (re-verified on load). */
  readonly bytes: Uint8Array;
  /** Wall time (ms) the copy was last written or confirmed current by a poll. */
  readonly savedAtMs: number;
}

export interface LastGoodStore {
  /** The copy, or undefined when there is none or it cannot be read. */
  load(): Promise<LastGoodCopy | undefined>;
  save(copy: LastGoodCopy): Promise<void>;
}
