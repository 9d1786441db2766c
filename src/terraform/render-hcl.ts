// A small HCL document model and its printer. The printer lays out attributes the way
// `terraform fmt` does (two-space indent, `=` aligned across runs of one-line attributes), so
// the exported files are fmt-clean as written.

/** A Terraform expression written verbatim (`var.cidr`, `aws_vpc.this.id`, `cidrsubnet(…)`). */
export interface HclExpr {
  readonly expr: string;
}

export type HclValue =
  | string
  | number
  | boolean
  | null
  | HclExpr
  | readonly HclValue[]
  | { readonly [key: string]: HclValue };

export interface HclAttribute {
  readonly kind: 'attribute';
  readonly name: string;
  readonly value: HclValue;
}

export interface HclBlock {
  readonly kind: 'block';
  readonly type: string;
  readonly labels: readonly string[];
  readonly body: readonly HclNode[];
}

/** A `#` comment line; `text` may hold several lines. */
export interface HclComment {
  readonly kind: 'comment';
  readonly text: string;
}

/** An empty line between groups. */
export interface HclBlank {
  readonly kind: 'blank';
}

export type HclNode = HclAttribute | HclBlock | HclComment | HclBlank;

/** `expr` tagged as an expression. */
export function ex(expr: string): HclExpr {
  return { expr };
}

export function attr(name: string, value: HclValue): HclAttribute {
  return { kind: 'attribute', name, value };
}

export function block(type: string, labels: readonly string[], body: readonly HclNode[]): HclBlock {
  return { kind: 'block', type, labels, body };
}

export function comment(text: string): HclComment {
  return { kind: 'comment', text };
}

export const blank: HclBlank = { kind: 'blank' };

/** Top-level nodes as a file: blocks separated by one blank line, ending in a newline. */
export function renderHcl(nodes: readonly HclNode[]): string {
  const lines: string[] = [];
  let previous: HclNode | undefined;
  for (const node of nodes) {
    // One blank line between top-level blocks; comments stick to the block after them.
    if (previous && node.kind === 'block' && previous.kind === 'block') lines.push('');
    if (previous && node.kind === 'comment' && previous.kind === 'block') lines.push('');
    if (node.kind === 'blank') lines.push('');
    else lines.push(...renderBody([node], 0));
    previous = node;
  }
  return `${lines.join('\n')}\n`;
}

function renderBody(nodes: readonly HclNode[], depth: number): string[] {
  const pad = '  '.repeat(depth);
  const out: string[] = [];
  let run: HclAttribute[] = [];
  const flush = () => {
    const width = Math.max(0, ...run.map((a) => a.name.length));
    for (const a of run) out.push(`${pad}${a.name.padEnd(width)} = ${renderValue(a.value, depth)}`);
    run = [];
  };
  for (const node of nodes) {
    if (node.kind === 'attribute' && !isMultiline(node.value)) {
      run.push(node);
      continue;
    }
    flush();
    if (node.kind === 'attribute') out.push(`${pad}${node.name} = ${renderValue(node.value, depth)}`);
    else if (node.kind === 'comment')
      out.push(...node.text.split('\n').map((l) => `${pad}#${l ? ` ${l}` : ''}`));
    else if (node.kind === 'blank') out.push('');
    else {
      const head = [node.type, ...node.labels.map((l) => JSON.stringify(l))].join(' ');
      out.push(`${pad}${head} {`, ...renderBody(node.body, depth + 1), `${pad}}`);
    }
  }
  flush();
  return out;
}

function isExpr(v: HclValue): v is HclExpr {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as HclExpr).expr === 'string';
}

function isObject(v: HclValue): v is { readonly [key: string]: HclValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !isExpr(v);
}

/** Objects with entries print one entry a line; lists stay on one line. */
function isMultiline(v: HclValue): boolean {
  if (isObject(v)) return Object.keys(v).length > 0;
  if (Array.isArray(v)) return v.some(isMultiline);
  return isExpr(v) && v.expr.includes('\n');
}

function renderValue(v: HclValue, depth: number): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return quote(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (isExpr(v)) return v.expr;
  if (Array.isArray(v)) return `[${v.map((x) => renderValue(x, depth)).join(', ')}]`;
  const entries = Object.entries(v as { readonly [key: string]: HclValue });
  if (entries.length === 0) return '{}';
  const keys = entries.map(([k]) => (/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(k) ? k : quote(k)));
  const pad = '  '.repeat(depth + 1);
  const lines: string[] = [];
  // Like attributes, one-line entries align on `=` in runs; a multi-line entry ends a run.
  let run: [string, HclValue][] = [];
  const flush = () => {
    const width = Math.max(0, ...run.map(([k]) => k.length));
    for (const [k, val] of run) lines.push(`${pad}${k.padEnd(width)} = ${renderValue(val, depth + 1)}`);
    run = [];
  };
  entries.forEach(([, val], i) => {
    if (isMultiline(val)) {
      flush();
      lines.push(`${pad}${keys[i]} = ${renderValue(val, depth + 1)}`);
    } else run.push([keys[i]!, val]);
  });
  flush();
  return `{\n${lines.join('\n')}\n${'  '.repeat(depth)}}`;
}

/** A quoted HCL string: JSON escapes, plus `$${` and `%%{` so nothing is interpolated. */
function quote(s: string): string {
  return JSON.stringify(s).replace(/\$\{/g, '$${').replace(/%\{/g, '%%{');
}
