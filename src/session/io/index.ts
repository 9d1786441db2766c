// Public surface of meridian/session/io: the module's adapters (disk, network, timers, processes).
export { loadSessionKeysFromEnv, loadSessionKeysFromFile, SESSION_KEYS_ENV } from './load-session-keys.js';
