// Turns zod validation issues into lint findings with messages that say how to fix them.
import type { z } from 'zod';
import type { Finding } from './diagnostic.js';
import { formatPath } from './diagnostic.js';
import { worldSchema } from './world-schema.js';

type Issue = z.core.$ZodIssue;

/** Every schema problem of a world document, one finding per problem (never just the first). */
export function schemaFindings(
  value: unknown,
): { ok: true; data: z.infer<typeof worldSchema> } | { ok: false; findings: Finding[] } {
  const result = worldSchema.safeParse(value ?? {});
  if (result.success) return { ok: true, data: result.data };
  const findings: Finding[] = [];
  for (const issue of result.error.issues) findings.push(...toFindings(issue, value));
  return { ok: false, findings };
}

function toFindings(issue: Issue, root: unknown): Finding[] {
  const path = issue.path as PropertyKey[];
  const field = path.length ? formatPath(path) : 'the document';
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => {
        const allowed = allowedKeys(path);
        const hint = closest(key, allowed);
        return {
          code: 'schema-unknown-key',
          severity: 'error',
          path: [...path, key],
          at: 'key',
          message:
            `unknown key "${key}" in ${field}` +
            (hint
              ? `; did you mean "${hint}"?`
              : allowed.length
                ? `; allowed keys: ${allowed.join(', ')}`
                : ''),
        };
      });
    case 'invalid_type': {
      const actual = valueAt(root, path);
      if (actual === undefined) {
        return [
          {
            code: 'schema-missing-field',
            severity: 'error',
            path,
            message: `${field} is required; add it (${issue.expected})`,
          },
        ];
      }
      return [
        {
          code: 'schema-invalid-type',
          severity: 'error',
          path,
          message: `${field} must be ${article(issue.expected)}, not ${describe(actual)}`,
        },
      ];
    }
    case 'invalid_union':
      if (path.at(-1) === 'quorum') {
        return [
          {
            code: 'schema-invalid-value',
            severity: 'error',
            path,
            message: `${field} must be "majority", "any", "all" or a whole number of vantages (at least 1); got ${describe(valueAt(root, path))}`,
          },
        ];
      }
      if (path.at(-2) === 'expectStatus') {
        return [
          {
            code: 'schema-invalid-value',
            severity: 'error',
            path,
            message: `${field} must be a status code from 100 to 599 (like 204) or a range in quotes (like "200-299"); got ${describe(valueAt(root, path))}`,
          },
        ];
      }
      if (path.at(-1) === 'in') {
        return [
          {
            code: 'schema-invalid-value',
            severity: 'error',
            path,
            message: `${field} must be "all", "home" or a list of region names`,
          },
        ];
      }
      return [
        {
          code: 'schema-invalid-value',
          severity: 'error',
          path,
          message: `${field} has an invalid value: ${issue.message}`,
        },
      ];
    case 'invalid_key':
      return [
        {
          code: 'schema-invalid-value',
          severity: 'error',
          path,
          at: 'key',
          message: `the name "${String(path.at(-1))}" is not allowed: ${issue.issues[0]?.message ?? issue.message}`,
        },
      ];
    case 'invalid_value':
      return [
        {
          code: 'schema-invalid-value',
          severity: 'error',
          path,
          message: `${field} must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}; got ${describe(valueAt(root, path))}`,
        },
      ];
    case 'too_small':
    case 'too_big': {
      const bound = issue.code === 'too_small' ? `at least ${issue.minimum}` : `at most ${issue.maximum}`;
      const what = issue.origin === 'array' ? 'entries' : issue.origin === 'string' ? 'characters' : '';
      return [
        {
          code: 'schema-invalid-value',
          severity: 'error',
          path,
          message: `${field} must be ${bound}${what ? ` ${what}` : ''}; got ${describe(valueAt(root, path))}`,
        },
      ];
    }
    default:
      return [
        { code: 'schema-invalid-value', severity: 'error', path, message: `${field}: ${issue.message}` },
      ];
  }
}

/** The keys the schema allows for the object at `path`. */
function allowedKeys(path: readonly PropertyKey[]): string[] {
  let schema: unknown = worldSchema;
  for (const part of path) {
    schema = unwrap(schema);
    const def = defOf(schema);
    if (def?.type === 'object') schema = (def.shape as Record<string, unknown>)[String(part)];
    else if (def?.type === 'record') schema = def.valueType;
    else if (def?.type === 'array') schema = def.element;
    else return [];
  }
  const def = defOf(unwrap(schema));
  return def?.type === 'object' ? Object.keys(def.shape as object) : [];
}

function unwrap(schema: unknown): unknown {
  let s = schema;
  for (let def = defOf(s); def && (def.type === 'optional' || def.type === 'default'); def = defOf(s))
    s = def.innerType;
  return s;
}

function defOf(schema: unknown): Record<string, unknown> & { type?: string } {
  return (schema as { _zod?: { def?: Record<string, unknown> & { type?: string } } })?._zod?.def ?? {};
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = root;
  for (const part of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[part];
  }
  return v;
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  return `${typeof v} ${String(v)}`;
}

function article(expected: string): string {
  if (expected === 'object' || expected === 'record') return 'a mapping (key: value)';
  if (expected === 'array') return 'a list';
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

/** The allowed key nearest to `key` by edit distance, when it is close enough to be a typo. */
function closest(key: string, allowed: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(key.length / 3)) + 1;
  for (const candidate of allowed) {
    const d = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(
        (prev[j] ?? 0) + 1,
        (cur[j - 1] ?? 0) + 1,
        (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}
