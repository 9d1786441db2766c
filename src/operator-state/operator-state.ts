// The operator state of a fleet, reduced from the entries of its shared KV bucket: drains,
// rollout overrides, notes, the world in force and the bucket's epoch. Pure: the same entries in
// the same order give the same state on every instance.
import { z } from 'zod';
import type { OperatorRecord } from './operator-record.js';

/** The keys of the bucket. */
export const OPERATOR_KEYS = Object.freeze({
  /** `{seconds}`: written once, when the bucket is created (the SOA serial's base). */
  epoch: 'epoch',
  /** `{hash, change}`: the world file the fleet last adopted. */
  world: 'world',
  /** `{regions: {NAME: {who, atMs, reason, forced}}, change}`: every drain in one key, so a drain checks the floor and writes atomically (compare-and-set). */
  drains: 'drains',
  /** `rollout.<hostname fqdn>` → `{rollout, change}`; deleted: no override. */
  rolloutPrefix: 'rollout.',
  /** `note.<id>` → `{change}` (the text in `change.reason`). */
  notePrefix: 'note.',
});

const record = z.strictObject({
  action: z.enum(['drain', 'undrain', 'rollout', 'note', 'world']),
  target: z.string(),
  who: z.string(),
  atMs: z.number(),
  reason: z.string().nullable(),
  forced: z.boolean(),
});

const drainMark = z.strictObject({
  who: z.string(),
  atMs: z.number(),
  reason: z.string().nullable(),
  forced: z.boolean(),
});

const rolloutValue = z
  .strictObject({
    region: z.string(),
    basisPoints: z.number().int().min(0).max(10_000),
    sticky: z.boolean(),
  })
  .nullable();

const VALUES = {
  epoch: z.strictObject({ seconds: z.number().int().min(0) }),
  world: z.strictObject({ hash: z.string(), change: record }),
  drains: z.strictObject({ regions: z.record(z.string(), drainMark), change: record }),
  rollout: z.strictObject({ rollout: rolloutValue, change: record }),
  note: z.strictObject({ change: record }),
};

export type DrainMark = z.infer<typeof drainMark>;
export type RolloutOverride = z.infer<typeof rolloutValue>;
export type DrainsValue = z.infer<typeof VALUES.drains>;
export type RolloutValue = z.infer<typeof VALUES.rollout>;
export type NoteValue = z.infer<typeof VALUES.note>;
export type WorldValue = z.infer<typeof VALUES.world>;

/** One entry of the bucket as the watcher sees it. */
export interface OperatorEntry {
  readonly key: string;
  readonly revision: number;
  readonly operation: 'PUT' | 'DEL' | 'PURGE';
  /** The value's bytes as text (JSON), '' for deletes. */
  readonly value: string;
}

export interface OperatorState {
  /** The bucket revision of the last entry applied (0: none). */
  readonly revision: number;
  readonly epochSeconds: number | null;
  readonly worldHash: string | null;
  /** Drained regions, by name. */
  readonly drains: Readonly<Record<string, DrainMark>>;
  /** The revision of the `drains` key (for compare-and-set), 0 when never written. */
  readonly drainsRevision: number;
  /** Rollout overrides by hostname fqdn (null: the rollout is switched off). */
  readonly rollouts: Readonly<Record<string, RolloutOverride>>;
  /** The last change per key, newest last (what each entry says about who, when, why). */
  readonly recent: readonly OperatorRecord[];
  /** Entries that did not parse (kept out of the state), and the last reason. */
  readonly rejected: number;
  readonly lastRejected: string | null;
}

/** How many recent changes the state keeps (the bucket keeps the full history per key). */
export const RECENT_KEPT = 100;

export const EMPTY_OPERATOR_STATE: OperatorState = Object.freeze({
  revision: 0,
  epochSeconds: null,
  worldHash: null,
  drains: Object.freeze({}),
  drainsRevision: 0,
  rollouts: Object.freeze({}),
  recent: Object.freeze([]),
  rejected: 0,
  lastRejected: null,
});

function parse<T>(
  schema: z.ZodType<T>,
  text: string,
): { ok: true; value: T } | { ok: false; reason: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { ok: false, reason: `not JSON: ${(err as Error).message}` };
  }
  const r = schema.safeParse(json);
  if (!r.success)
    return { ok: false, reason: r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
  return { ok: true, value: r.data };
}

/**
 * Applies one bucket entry. Entries at or below the state's revision are ignored (a watcher
 * resumed after a reconnect may deliver them again). An entry that does not parse moves the
 * revision (it happened) but changes nothing else, and is counted in `rejected`.
 */
export function reduceOperatorState(state: OperatorState, e: OperatorEntry): OperatorState {
  if (e.revision <= state.revision) return state;
  const base = { ...state, revision: e.revision };
  const reject = (reason: string): OperatorState =>
    Object.freeze({
      ...base,
      rejected: state.rejected + 1,
      lastRejected: `${e.key}@${e.revision}: ${reason}`,
    });
  const remember = (change: OperatorRecord): readonly OperatorRecord[] =>
    Object.freeze([...state.recent, change].slice(-RECENT_KEPT));
  const deleted = e.operation !== 'PUT';

  if (e.key.startsWith(OPERATOR_KEYS.rolloutPrefix)) {
    const host = e.key.slice(OPERATOR_KEYS.rolloutPrefix.length);
    if (deleted) {
      const { [host]: _gone, ...rest } = state.rollouts;
      return Object.freeze({ ...base, rollouts: Object.freeze(rest) });
    }
    const v = parse(VALUES.rollout, e.value);
    if (!v.ok) return reject(v.reason);
    return Object.freeze({
      ...base,
      rollouts: Object.freeze({ ...state.rollouts, [host]: v.value.rollout }),
      recent: remember(v.value.change),
    });
  }
  if (e.key.startsWith(OPERATOR_KEYS.notePrefix)) {
    if (deleted) return Object.freeze(base);
    const v = parse(VALUES.note, e.value);
    if (!v.ok) return reject(v.reason);
    return Object.freeze({ ...base, recent: remember(v.value.change) });
  }
  switch (e.key) {
    case OPERATOR_KEYS.epoch: {
      if (deleted) return Object.freeze(base);
      const v = parse(VALUES.epoch, e.value);
      if (!v.ok) return reject(v.reason);
      // the first epoch wins: a rewritten epoch could make the serial go back
      return Object.freeze({ ...base, epochSeconds: state.epochSeconds ?? v.value.seconds });
    }
    case OPERATOR_KEYS.world: {
      if (deleted) return Object.freeze(base);
      const v = parse(VALUES.world, e.value);
      if (!v.ok) return reject(v.reason);
      return Object.freeze({ ...base, worldHash: v.value.hash, recent: remember(v.value.change) });
    }
    case OPERATOR_KEYS.drains: {
      if (deleted) return Object.freeze({ ...base, drains: Object.freeze({}), drainsRevision: e.revision });
      const v = parse(VALUES.drains, e.value);
      if (!v.ok) return reject(v.reason);
      return Object.freeze({
        ...base,
        drains: Object.freeze({ ...v.value.regions }),
        drainsRevision: e.revision,
        recent: remember(v.value.change),
      });
    }
    default:
      return reject('unknown key');
  }
}

/** Parses the value of a `drains` entry (for a compare-and-set writer), null when it does not parse. */
export function parseDrains(text: string): DrainsValue | null {
  const v = parse(VALUES.drains, text);
  return v.ok ? v.value : null;
}

/** Parses any entry's `change` record (for history), null when there is none. */
export function changeOf(text: string): OperatorRecord | null {
  try {
    const r = record.safeParse((JSON.parse(text) as { change?: unknown }).change);
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}
