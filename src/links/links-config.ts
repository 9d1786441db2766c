// The `data` of the config snapshot the links workload reads: partners, revocations and
// settings. Home validates with this schema before publishing; regions validate on load.
import { z } from 'zod';

/** Partner ids: lowercase, digits and "-", at most 64 characters (they travel in session IDs). */
export const PARTNER_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** `example.com` (exact) or `*.example.com` (any subdomain, not the apex). */
const HOST_PATTERN = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

export const partnerSchema = z.strictObject({
  id: z.string().regex(PARTNER_ID_PATTERN, 'lowercase letters, digits and "-", at most 64 characters'),
  name: z.string().min(1).max(200),
  linkTemplate: z
    .string()
    .max(500)
    .refine(isLinkTemplate, 'an absolute http(s) URL whose path is /l/{token}')
    .describe(
      'for example https://links.example.test/l/{token}; {partnerId} and {region} may appear in the host',
    ),
  allowedHosts: z
    .array(z.string().max(253).regex(HOST_PATTERN, 'a host name such as shop.example or *.shop.example'))
    .max(200)
    .describe('destination hosts links may point to; empty allows none'),
  rateLimitRps: z.number().int().min(1).max(1_000_000).describe('requests per second per region'),
  active: z.boolean(),
});

export const revocationsSchema = z.strictObject({
  sessions: z.array(z.string().min(1).max(64)).max(100_000).optional().describe('revoked session ids'),
  partners: z.array(z.string().min(1)).max(10_000).optional().describe('every session of these partners'),
  partnersIssuedBefore: z
    .array(z.strictObject({ partner: z.string().min(1), issuedBefore: z.iso.datetime({ offset: true }) }))
    .max(10_000)
    .optional()
    .describe('sessions of a partner issued before a time'),
});

export const linksSettingsSchema = z.strictObject({
  sessionTtlSeconds: z
    .number()
    .int()
    .min(60)
    .max(30 * 86_400)
    .default(86_400),
  maxDestinationLength: z.number().int().min(16).max(4096).default(2048),
});

export const linksConfigSchema = z.strictObject({
  partners: z.array(partnerSchema).max(100_000),
  revocations: revocationsSchema.default({}),
  settings: linksSettingsSchema.default({ sessionTtlSeconds: 86_400, maxDestinationLength: 2048 }),
});

export type Partner = z.infer<typeof partnerSchema>;
export type Revocations = z.infer<typeof revocationsSchema>;
export type LinksSettings = z.infer<typeof linksSettingsSchema>;
export type LinksConfig = z.infer<typeof linksConfigSchema>;

/** The settings a fresh home starts with. */
export const DEFAULT_LINKS_SETTINGS: LinksSettings = Object.freeze({
  sessionTtlSeconds: 86_400,
  maxDestinationLength: 2048,
});

/** An absolute http(s) URL whose path is exactly `/l/{token}` (the route every region serves). */
function isLinkTemplate(template: string): boolean {
  if (!template.endsWith('/l/{token}')) return false;
  try {
    const url = new URL(
      template.replaceAll('{token}', 't').replaceAll('{partnerId}', 'p').replaceAll('{region}', 'r'),
    );
    return (
      (url.protocol === 'https:' || url.protocol === 'http:') && url.pathname === '/l/t' && !url.username
    );
  } catch {
    return false;
  }
}
