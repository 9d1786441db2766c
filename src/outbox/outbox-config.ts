// Settings of the region outbox, its flusher and home's ingest: validated once, units in
// names, unknown keys rejected, the result frozen.
import { z } from 'zod';
import { deepFreeze, MeridianError } from '../core/index.js';
import { DEFAULT_MAX_PAYLOAD_BYTES, NAME_PATTERN } from './outbox-event.js';

const MiB = 1024 * 1024;

export const outboxSettingsSchema = z.strictObject({
  path: z.string().min(1).describe('the SQLite database file of this region’s outbox'),
  region: z.string().regex(NAME_PATTERN).describe('this region’s name, sent home with every batch'),
  synchronous: z
    .enum(['full', 'normal'])
    .default('full')
    .describe('SQLite synchronous mode: full survives power loss, normal only a process crash'),
  maxBacklogBytes: z
    .number()
    .int()
    .min(1024)
    .default(256 * MiB)
    .describe('disk cap: enqueue fails once the unsent backlog would exceed this'),
  maxPayloadBytes: z
    .number()
    .int()
    .min(16)
    .max(16 * MiB)
    .default(DEFAULT_MAX_PAYLOAD_BYTES),
  maxCommitEvents: z
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .default(20_000)
    .describe('most events written by one group-commit transaction'),
});
export type OutboxSettings = z.output<typeof outboxSettingsSchema>;
export type OutboxSettingsInput = z.input<typeof outboxSettingsSchema>;

export const flusherSettingsSchema = z.strictObject({
  maxBatchEvents: z.number().int().min(1).max(100_000).default(1000),
  maxBatchBytes: z
    .number()
    .int()
    .min(1024)
    .default(4 * MiB)
    .describe('approximate request body cap'),
  idlePollMs: z
    .number()
    .int()
    .min(1)
    .default(1000)
    .describe('re-check interval when the outbox is empty (commits also wake the flusher)'),
  lingerMs: z
    .number()
    .int()
    .min(0)
    .max(60_000)
    .default(0)
    .describe(
      'after a commit wakes an idle flusher, wait this long so the events of the next commits ride in the same batch (0: send at once)',
    ),
  backoff: z
    .strictObject({
      baseMs: z.number().int().min(1).default(200),
      maxMs: z.number().int().min(1).default(30_000),
    })
    .default({ baseMs: 200, maxMs: 30_000 }),
  breaker: z
    .strictObject({
      failureThreshold: z.number().int().min(1).default(5),
      openMs: z.number().int().min(1).default(15_000),
    })
    .default({ failureThreshold: 5, openMs: 15_000 }),
});
export type FlusherSettings = z.output<typeof flusherSettingsSchema>;
export type FlusherSettingsInput = z.input<typeof flusherSettingsSchema>;

export const ingestSettingsSchema = z.strictObject({
  path: z.string().startsWith('/').default('/v1/ingest'),
  maxEvents: z.number().int().min(1).max(100_000).default(10_000).describe('largest batch accepted'),
  bodyLimitBytes: z
    .number()
    .int()
    .min(1024)
    .max(256 * MiB)
    .default(8 * MiB)
    .describe('largest request body; a larger one is answered 413 before it is read'),
  maxEventBytes: z
    .number()
    .int()
    .min(16)
    .max(16 * MiB)
    .default(DEFAULT_MAX_PAYLOAD_BYTES)
    .describe('largest payload (UTF-8 bytes of its JSON); a larger event is rejected, the rest stored'),
  maxClockSkewMs: z
    .number()
    .int()
    .min(1_000)
    .max(3_600_000)
    .default(300_000)
    .describe('how far a signed request’s timestamp may be from home’s clock'),
});
export type IngestSettings = z.output<typeof ingestSettingsSchema>;
export type IngestSettingsInput = z.input<typeof ingestSettingsSchema>;

/** Validates `input` against `schema`; throws MERIDIAN_OUTBOX_CONFIG_INVALID naming each field. */
export function parseSettings<S extends z.ZodType>(what: string, schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (!result.success) {
    const problems = result.error.issues
      .map((i) => `${i.path.length > 0 ? i.path.join('.') : '(root)'}: ${i.message}`)
      .join('; ');
    throw new MeridianError('MERIDIAN_OUTBOX_CONFIG_INVALID', `invalid ${what} settings: ${problems}`);
  }
  return deepFreeze(result.data);
}
