// Public surface of meridian/http/io: the module's adapters (disk, network, timers, processes).
export { type AdminGuardOptions, installAdminGuard } from './admin-guard.js';
export { createHttpApp, fastifyLimitOptions, type HttpAppOptions } from './create-http-app.js';
export { type ConnectionLimitOptions, limitConnections } from './limit-connections.js';
export { readOpenFileLimit } from './read-open-file-limit.js';
