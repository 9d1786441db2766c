// Public surface of meridian/profiles: the second workload (user preferences, Redis-backed reads).
export {
  isPreferenceKey,
  isUserId,
  type Preferences,
  type ProfilesConfig,
  preferencesSchema,
  profilesConfigSchema,
} from './profiles-config.js';
export { PREFERENCE_SET, type ProfilesWorkloadOptions, profilesWorkload } from './profiles-workload.js';
