// The business figures home derives from ingested region events: daily active sessions per
// partner and links created per partner per region. Fed once per stored event, inside the
// ingest transaction, so a duplicate delivery never counts twice.
import type { HomeDatabase } from '../../../workload/index.js';

export interface StatsEvent {
  readonly topic: string;
  readonly payload: unknown;
}

export interface HomeStats {
  /** day (UTC, YYYY-MM-DD) → partner → distinct sessions seen that day. */
  readonly dailyActiveSessions: Record<string, Record<string, number>>;
  /** partner → region → links created (all days). */
  readonly linksCreated: Record<string, Record<string, number>>;
}

/** Adds one newly stored event to the aggregates; ignores topics and payloads it does not know. */
export async function recordStatsEvent(tx: Pick<HomeDatabase, 'query'>, event: StatsEvent): Promise<void> {
  const p = event.payload as {
    session?: unknown;
    partnerId?: unknown;
    region?: unknown;
    atMs?: unknown;
  } | null;
  if (!p || typeof p.partnerId !== 'string' || typeof p.atMs !== 'number' || !Number.isFinite(p.atMs)) return;
  const day = new Date(p.atMs).toISOString().slice(0, 10);
  if (
    typeof p.session === 'string' &&
    (event.topic === 'session-started' || event.topic === 'link-created')
  ) {
    await tx.query(
      'INSERT INTO stats_session_days (day, partner_id, session) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
      [day, p.partnerId, p.session],
    );
  }
  if (event.topic === 'link-created' && typeof p.region === 'string') {
    await tx.query(
      `INSERT INTO stats_links (day, partner_id, region, count) VALUES ($1, $2, $3, 1)
       ON CONFLICT (day, partner_id, region) DO UPDATE SET count = stats_links.count + 1`,
      [day, p.partnerId, p.region],
    );
  }
}

/** Reads the aggregates. */
export async function readStats(db: Pick<HomeDatabase, 'query'>): Promise<HomeStats> {
  const dailyActiveSessions: Record<string, Record<string, number>> = {};
  for (const r of await db.query(
    'SELECT day, partner_id, COUNT(*) AS n FROM stats_session_days GROUP BY day, partner_id ORDER BY day, partner_id',
  )) {
    const day = String(r.day);
    dailyActiveSessions[day] ??= {};
    dailyActiveSessions[day][String(r.partner_id)] = Number(r.n);
  }
  const linksCreated: Record<string, Record<string, number>> = {};
  for (const r of await db.query(
    'SELECT partner_id, region, SUM(count) AS n FROM stats_links GROUP BY partner_id, region ORDER BY partner_id, region',
  )) {
    const partner = String(r.partner_id);
    linksCreated[partner] ??= {};
    linksCreated[partner][String(r.region)] = Number(r.n);
  }
  return { dailyActiveSessions, linksCreated };
}
