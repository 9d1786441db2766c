// The links workload's tables at home: partners, revocations, settings, partner-relay events,
// the baseline's rows (v1) and the stats the ingest handlers fold (v2). Their version numbers
// predate workloads, so a home database made before them is already up to date.
import type { Migration } from '../../../workload/index.js';

export const LINKS_HOME_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'config, partner relay and baseline rows',
    statements: [
      `CREATE TABLE partners (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        link_template TEXT NOT NULL,
        allowed_hosts TEXT NOT NULL,
        rate_limit_rps INTEGER NOT NULL,
        active INTEGER NOT NULL,
        updated_at_ms BIGINT NOT NULL
      )`,
      `CREATE TABLE revocations (
        kind TEXT NOT NULL,
        subject TEXT NOT NULL,
        before_ms BIGINT NOT NULL,
        created_at_ms BIGINT NOT NULL,
        PRIMARY KEY (kind, subject)
      )`,
      `CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      )`,
      `CREATE TABLE partner_events (
        event_id TEXT PRIMARY KEY,
        partner_id TEXT NOT NULL,
        type TEXT NOT NULL,
        payload TEXT NOT NULL,
        received_at_ms BIGINT NOT NULL
      )`,
      `CREATE TABLE baseline_sessions (
        id TEXT PRIMARY KEY,
        partner_id TEXT NOT NULL,
        device TEXT NOT NULL,
        created_at_ms BIGINT NOT NULL
      )`,
      `CREATE TABLE baseline_links (
        id TEXT PRIMARY KEY,
        session_id TEXT NOT NULL,
        partner_id TEXT NOT NULL,
        destination TEXT NOT NULL,
        created_at_ms BIGINT NOT NULL
      )`,
    ],
  },
  {
    version: 2,
    name: 'stats aggregates fed by ingest',
    statements: [
      `CREATE TABLE stats_session_days (
        day TEXT NOT NULL,
        partner_id TEXT NOT NULL,
        session TEXT NOT NULL,
        PRIMARY KEY (day, partner_id, session)
      )`,
      `CREATE TABLE stats_links (
        day TEXT NOT NULL,
        partner_id TEXT NOT NULL,
        region TEXT NOT NULL,
        count BIGINT NOT NULL,
        PRIMARY KEY (day, partner_id, region)
      )`,
      `CREATE TABLE stats_cursor (
        name TEXT PRIMARY KEY,
        last_id BIGINT NOT NULL
      )`,
    ],
  },
];
