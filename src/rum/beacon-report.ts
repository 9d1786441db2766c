// What a client reports after measuring a few regions: the schema every region checks before
// the report enters its outbox. Bounded so a report can never be large or absurd.
import { z } from 'zod';

/** Most regions one report may carry (clients measure "a few candidate regions"). */
export const MAX_REGIONS_PER_REPORT = 8;
/** A round trip longer than this is a broken measurement, not a slow path. */
export const MAX_REPORTED_RTT_MS = 10_000;

export const beaconReportSchema = z
  .object({
    samples: z
      .array(
        z
          .object({
            region: z
              .string()
              .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'a region name: lowercase letters, digits, -'),
            rttMs: z.number().finite().nonnegative().max(MAX_REPORTED_RTT_MS),
          })
          .strict(),
      )
      .min(1)
      .max(MAX_REGIONS_PER_REPORT),
  })
  .strict();

/** One client's measurements: round-trip times in ms to some regions. */
export type BeaconReport = z.infer<typeof beaconReportSchema>;

/** The report as sent home: the client's key (network or subnet) and when it arrived. */
export interface BeaconObservation {
  /** `network:<name>` when the client is in a world network, else `subnet:<prefix>` (/24, /48). */
  readonly clientKey: string;
  readonly atMs: number;
  readonly samples: BeaconReport['samples'];
}
