// The links workload as Meridian runs it (src/workload): short-lived sessions and signed link
// tokens in every region, partners/settings/revocations in its config snapshot, and two soft
// writes (session-started, link-created) that home folds into its stats.
import { type Clock, systemClock } from '../../core/index.js';
import type { Workload } from '../../workload/index.js';
import { installJsonErrors } from '../json-errors.js';
import { createLinkTokenCodec } from '../link-token.js';
import { type LinksConfig, linksConfigSchema } from '../links-config.js';
import { LINK_CREATED, registerLinksRoutes, SESSION_STARTED } from '../links-routes.js';
import { createLinksSessions, deriveLinkKeys } from '../links-sessions.js';
import { PartnerRateLimiter } from '../partner-rate-limiter.js';
import { createLinksApp } from './create-links-app.js';
import { BaselineStore } from './home/baseline-store.js';
import { ConfigStore } from './home/config-store.js';
import { LINKS_HOME_MIGRATIONS } from './home/links-home-migrations.js';
import { registerLinksHomeRoutes } from './home/links-home-routes.js';
import { PartnerEventStore } from './home/partner-event-store.js';
import { readStats, recordStatsEvent } from './home/stats-store.js';

/** The links workload; `clock` drives home's row times (default the system clock). */
export function linksWorkload(options: { clock?: Clock } = {}): Workload<LinksConfig> {
  const clock = options.clock ?? systemClock;
  const fold = (topic: string) => (tx: Parameters<typeof recordStatsEvent>[0], payload: unknown) =>
    recordStatsEvent(tx, { topic, payload });
  return {
    name: 'links',
    configSchema: linksConfigSchema,
    softWrites: {
      [SESSION_STARTED]: {
        description: 'a session was issued in a region (daily active sessions)',
        ingest: fold(SESSION_STARTED),
      },
      [LINK_CREATED]: {
        description: 'a link was created in a region (links per partner and region)',
        ingest: fold(LINK_CREATED),
      },
    },
    createRegionApp: (o) => createLinksApp(o),
    registerRegion(ctx) {
      const sessions = createLinksSessions({
        keys: ctx.sessionKeys,
        clock: ctx.clock,
        revocations: () => ctx.config()?.revocations,
        registry: ctx.registry,
      });
      registerLinksRoutes(ctx.app, {
        region: ctx.region,
        config: ctx.config,
        sessions,
        events: ctx.events,
        linkTokens: createLinkTokenCodec(deriveLinkKeys(ctx.sessionKeys)),
        rateLimiter: new PartnerRateLimiter(ctx.clock, {
          ...(ctx.limits.partnerRps === undefined ? {} : { capRps: ctx.limits.partnerRps }),
          clientSharePercent: ctx.limits.clientSharePercent,
        }),
        clock: ctx.clock,
        registry: ctx.registry,
      });
      return { healthChecks: [] };
    },
    home: {
      migrations: LINKS_HOME_MIGRATIONS,
      buildConfig: (db) => new ConfigStore(db, clock).buildLinksConfig(),
      installErrors: installJsonErrors,
      stats: (db) => readStats(db),
      registerRoutes(ctx) {
        // A revocation by full session ID needs the ring the regions issue with.
        const keys = ctx.sessionKeys;
        const reader = keys
          ? createLinksSessions({ keys, clock: ctx.clock, revocations: () => undefined })
          : undefined;
        registerLinksHomeRoutes(ctx.app, {
          config: new ConfigStore(ctx.db, ctx.clock),
          partnerEvents: new PartnerEventStore(ctx.db, ctx.clock),
          baseline: new BaselineStore(ctx.db, ctx.clock),
          change: ctx.change,
          currentConfig: ctx.currentConfig,
          senderKey: ctx.senderKey,
          clock: ctx.clock,
          ...(reader ? { sessionIdOf: (s: string) => reader.sessionIdOf(s) } : {}),
        });
      },
    },
  };
}
