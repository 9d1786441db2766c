// Public surface of meridian/profiles: the second workload (user preferences, Redis-backed reads).
export {
  isPreferenceKey,
  isUserId,
  type Preferences,
  type ProfilesConfig,
  preferencesSchema,
  profilesConfigSchema,
} from './profiles-config.js';
// The workload itself (a Fastify app, Redis reads) is in meridian/profiles/io.
