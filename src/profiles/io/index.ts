// Public surface of meridian/profiles/io: the profiles workload itself (its region app is a
// Fastify app, its reads go through Redis).
export { PREFERENCE_SET, type ProfilesWorkloadOptions, profilesWorkload } from './profiles-workload.js';
