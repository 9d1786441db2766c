// One simulated user's journey on the profiles API: read the user's preferences in the region,
// set one (relayed home as a soft write, 202), read them back. Each request is recorded as the
// links journey records its own (DNS, connect, response; retried on the next answered address).
import { systemClock } from '../../core/index.js';
import { type JourneyContext, journeyConnection, journeyStep, parseJson } from './links-journey.js';

/** The user a journey acts for: one per journey, so home's user count is the writes it stored. */
export function profilesJourneyUser(location: string, journeyId: number, runId: string): string {
  return `lab-${runId}-${location}-${journeyId}`.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 64);
}

/** Runs one profiles journey; resolves true when every step succeeded. Never rejects. */
export async function runProfilesJourney(
  ctx: JourneyContext & { readonly runId?: string },
  journeyId: number,
): Promise<boolean> {
  const clock = ctx.clock ?? systemClock;
  const conn = journeyConnection();
  const user = profilesJourneyUser(ctx.location, journeyId, ctx.runId ?? 'u');
  const path = `/v1/profiles/${user}`;
  const isProfile = (r: { status: number; body: string }) =>
    r.status !== 200 ? `http-${r.status}` : parseJson(r.body)?.user === user ? undefined : 'bad-profile';
  try {
    const read = await journeyStep(ctx, clock, conn, 'profile-read', 'GET', path, undefined, {}, isProfile);
    if (!read) return false;
    const written = await journeyStep(ctx, clock, conn, 'profile-write', 'PUT', `${path}/preferences/theme`, {
      value: ctx.location,
    });
    if (!written) return false;
    const back = await journeyStep(
      ctx,
      clock,
      conn,
      'profile-readback',
      'GET',
      path,
      undefined,
      {},
      isProfile,
    );
    return back !== undefined;
  } finally {
    conn.close();
  }
}
