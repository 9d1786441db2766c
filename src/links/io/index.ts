// Public surface of meridian/links/io: the module's adapters (disk, network, timers, processes).

export { createLinksApp, type LinksAppOptions } from './create-links-app.js';
export { createHttpBaselineHome, type HttpBaselineHomeOptions } from './http-baseline-home.js';
