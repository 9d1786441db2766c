// Public surface of meridian/dashboard: the live dashboard's feed (pure), its stream format and
// the page's model. The mount that serves it on an admin API is on meridian/dashboard/io.
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
export {
  LocationWindow,
  type LocationWindowOptions,
  type RequestSample,
} from './location-window.js';
export { formatSseEvent, SSE_HEARTBEAT, type SseEvent, SseParser } from './sse-frame.js';
