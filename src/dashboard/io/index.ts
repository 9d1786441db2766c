// Adapters of meridian/dashboard (meridian/dashboard/io): the bundled page's assets, the SSE
// event hub, the standalone server and the mount that serves the page and /v1/events on an
// admin API.
export { DASHBOARD_ASSETS_DIR, type DashboardAsset, loadDashboardAssets } from './dashboard-assets.js';
export {
  type DashboardServer,
  type DashboardServerOptions,
  startDashboardServer,
} from './dashboard-server.js';
export {
  DEFAULT_HEARTBEAT_MS,
  DEFAULT_MAX_EVENT_CLIENTS,
  EventHub,
  type EventHubOptions,
} from './event-hub.js';
export {
  DASHBOARD_EVENTS_PATH,
  DASHBOARD_ROUTE_PREFIX,
  type DashboardMountOptions,
  type MountedDashboard,
  mountDashboard,
} from './mount-dashboard.js';
