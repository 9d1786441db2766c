// What home publishes from real-user measurements: per client key, the regions in steering
// order with their figures. It travels as the data of a signed, versioned config snapshot named
// `latency` (src/config), so regions' escrow, signature and version checks apply unchanged.
import { z } from 'zod';

/** The config snapshot name the latency data is published under. */
export const LATENCY_SNAPSHOT_NAME = 'latency';

const regionName = z.string().min(1).max(63);

export const latencyEntrySchema = z
  .object({
    /** Regions with enough recent samples, in the order to steer by (hysteresis applied). */
    order: z.array(regionName).min(1),
    /** Average round trip in ms per region of `order`. */
    rttMs: z.record(regionName, z.number().finite().nonnegative()),
    /** Samples behind each figure. */
    samples: z.record(regionName, z.number().int().positive()),
  })
  .strict();

export const latencySnapshotDataSchema = z
  .object({
    /** Samples a figure needs before it is published. */
    minSamples: z.number().int().positive(),
    /** Key: `network:<name>` or `subnet:<prefix>` (see clientKey). */
    clients: z.record(z.string().min(1), latencyEntrySchema),
  })
  .strict();

export type LatencyEntry = z.infer<typeof latencyEntrySchema>;
export type LatencySnapshotData = z.infer<typeof latencySnapshotDataSchema>;
