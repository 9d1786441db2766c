// A finding of `meridian lint`: a stable rule code, where it is, and how to fix it.

export type Severity = 'error' | 'warning';

/** One problem in a world file, positioned at the YAML node it concerns. */
export interface Diagnostic {
  readonly code: string;
  readonly severity: Severity;
  /** Field path such as `services.links.dependsOn[0].service` ('' for the whole file). */
  readonly path: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

/** A rule's finding before it is positioned: the path is still a list of keys. */
export interface Finding {
  readonly code: string;
  readonly severity: Severity;
  readonly path: readonly PropertyKey[];
  readonly message: string;
  /** Point at the key of the last path element instead of its value (for names). */
  readonly at?: 'key' | 'value';
}

/** `services.links.dependsOn[0]`, with `["a.b"]` for keys that are not plain identifiers. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (typeof part === 'string' && /^[A-Za-z_][\w-]*$/.test(part))
      out += out === '' ? part : `.${part}`;
    else out += `[${JSON.stringify(String(part))}]`;
  }
  return out;
}

/** Diagnostics sorted by position, errors before warnings at the same place. */
export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  return [...list].sort(
    (a, b) =>
      a.line - b.line ||
      a.column - b.column ||
      (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1) ||
      a.code.localeCompare(b.code),
  );
}
