// Expands a partner's link template ({token}, {partnerId}, {region}) into the issued link.

/** The absolute link for `token`; the template was validated by linksConfigSchema. */
export function renderLink(
  template: string,
  vars: { token: string; partnerId: string; region: string },
): string {
  return template
    .replaceAll('{partnerId}', encodeURIComponent(vars.partnerId))
    .replaceAll('{region}', encodeURIComponent(vars.region))
    .replaceAll('{token}', vars.token);
}
