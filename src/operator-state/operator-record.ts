// One operator action as recorded: what, on which region or hostname, who, when and why.

export type OperatorAction = 'drain' | 'undrain' | 'rollout' | 'note' | 'world';

export interface OperatorRecord {
  readonly action: OperatorAction;
  /** A region (drain, undrain), a hostname fqdn (rollout), a free subject (note), or a world hash. */
  readonly target: string;
  /** Who asked: a user@host from the CLI, or what the admin API was told. */
  readonly who: string;
  /** Wall time (ms) of the action. */
  readonly atMs: number;
  readonly reason: string | null;
  /** A drain that passed the floor (drain.minServing) only because it was forced. */
  readonly forced: boolean;
}
