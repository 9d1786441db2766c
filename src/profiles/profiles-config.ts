// The profiles snapshot: every user's preferences (high cardinality, low write), published by
// home and read in the regions, from memory or through Redis (the guide's 3a, external cache).
import { z } from 'zod';

const KEY = /^[a-z][a-z0-9_.-]{0,63}$/;
const USER = /^[A-Za-z0-9_-]{1,64}$/;

export const preferencesSchema = z.record(z.string().regex(KEY), z.string().max(1024));

export const profilesConfigSchema = z.strictObject({
  users: z.record(z.string().regex(USER), preferencesSchema),
});

export type ProfilesConfig = z.infer<typeof profilesConfigSchema>;
export type Preferences = z.infer<typeof preferencesSchema>;

/** Whether `s` is a user id / a preference key as the snapshot allows them. */
export const isUserId = (s: string): boolean => USER.test(s);
export const isPreferenceKey = (s: string): boolean => KEY.test(s);
