// What a simulated user records for each request of a journey.

/** The steps of the links journey, then those of the profiles journey. */
export type JourneyStep =
  | 'session'
  | 'link'
  | 'redirect'
  | 'profile-read'
  | 'profile-write'
  | 'profile-readback';

/** One request as a user saw it. Times are in ms; `atMs` is when it finished (wall time). */
export interface RequestRecord {
  /** The user population (network name). */
  readonly location: string;
  readonly step: JourneyStep;
  readonly atMs: number;
  /** Time spent resolving (0 when the answer came from the population's cache). */
  readonly dnsMs: number;
  /** Time to set up the TCP connection (0 on a reused connection). */
  readonly connectMs: number;
  /** From the request being sent to the full response. */
  readonly responseMs: number;
  readonly totalMs: number;
  /** The region that served it (`x-meridian-region`), or null when none did. */
  readonly region: string | null;
  /** Connection attempts it took (1 when the first answer worked). */
  readonly attempts: number;
  readonly ok: boolean;
  /** Why it failed, when it did (a stable short reason such as `connect-refused`). */
  readonly error?: string;
}
