// Public surface of meridian/region: a region's composition (links on the runtime) and its parts.
export { type ListeningRegion, type ListenRegionOptions, listenRegion } from './io/listen-region.js';
export { type RegionOptions, type RunningRegion, startRegion } from './io/start-region.js';
export { type RegionSettings, regionSettings } from './region-settings.js';
