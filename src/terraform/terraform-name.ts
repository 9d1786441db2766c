// Terraform identifiers for world names: `eu-west-2` → `eu_west_2`, `@` → `apex`.

/** A Terraform-safe identifier (letters, digits, `_`; never starting with a digit). */
export function terraformName(name: string): string {
  if (name === '@') return 'apex';
  const id = name.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  return /^[a-z_]/.test(id) ? id : `_${id}`;
}
