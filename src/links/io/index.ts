// Public surface of meridian/links/io: the module's adapters (disk, network, timers, processes).

export { createLinksApp, type LinksAppOptions } from './create-links-app.js';
export { type BaselineSessionRow, BaselineStore } from './home/baseline-store.js';
export { ConfigStore, type RevocationInput, type RevocationRow } from './home/config-store.js';
export { LINKS_HOME_MIGRATIONS } from './home/links-home-migrations.js';
export {
  type LinksHomeRoutesDeps,
  PARTNER_EVENT_MAX_BYTES,
  registerLinksHomeRoutes,
  type SessionIdOfResult,
  SHORT_SESSION_ID,
} from './home/links-home-routes.js';
export { type PartnerEvent, PartnerEventStore } from './home/partner-event-store.js';
export { type HomeStats, readStats, recordStatsEvent, type StatsEvent } from './home/stats-store.js';
export { createHttpBaselineHome, type HttpBaselineHomeOptions } from './http-baseline-home.js';
export { linksWorkload } from './links-workload.js';
export {
  type BaselineRegionOptions,
  type RunningBaselineRegion,
  startBaselineRegion,
} from './start-baseline-region.js';
