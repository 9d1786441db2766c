// Public surface of meridian/dashboard: the live dashboard's feed (pure), its stream format,
// the page's model, and the mount that serves it on an admin API.
export { applyDashboardEvent, type DashboardModel } from './apply-dashboard-event.js';
export {
  DashboardFeed,
  type DashboardFeedOptions,
  type FeedSample,
  type LocationSample,
  type MatrixSample,
  type OperatorRecordSample,
  type Place,
  type RegionHealthSample,
} from './dashboard-feed.js';
export type {
  DashboardMode,
  DashboardServerInfo,
  DashboardSnapshot,
  DashboardState,
  DashboardTick,
  LocationView,
  Marker,
  MarkerKind,
  MatrixCell,
  RegionView,
  SharePoint,
} from './dashboard-types.js';
export { type GslbStatePart, gslbStatePart, offersDrainPreview } from './gslb-state-sample.js';
export { DASHBOARD_ASSETS_DIR, type DashboardAsset, loadDashboardAssets } from './io/dashboard-assets.js';
export {
  type DashboardServer,
  type DashboardServerOptions,
  startDashboardServer,
} from './io/dashboard-server.js';
export {
  DEFAULT_HEARTBEAT_MS,
  DEFAULT_MAX_EVENT_CLIENTS,
  EventHub,
  type EventHubOptions,
} from './io/event-hub.js';
export {
  DASHBOARD_EVENTS_PATH,
  DASHBOARD_ROUTE_PREFIX,
  type DashboardMountOptions,
  type MountedDashboard,
  mountDashboard,
} from './io/mount-dashboard.js';
export {
  LocationWindow,
  type LocationWindowOptions,
  type RequestSample,
} from './location-window.js';
export { formatSseEvent, SSE_HEARTBEAT, type SseEvent, SseParser } from './sse-frame.js';
