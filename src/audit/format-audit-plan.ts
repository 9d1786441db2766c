// The human form of an audit report, shaped like `terraform plan`: one block per region that
// drifted, `~` changed, `+` declared but missing, `-` live but undeclared, then a summary line.
import type { AuditChange, AuditReport, RegionAudit } from './audit-world.js';

export interface PlanFormatOptions {
  /** The world file's name, shown in the header. */
  readonly file: string;
}

/** Renders the report as lines of text (no trailing newline). Deterministic for a given report. */
export function formatAuditPlan(report: AuditReport, options: PlanFormatOptions): string {
  const lines: string[] = [];
  const declared = report.regions.filter((r) => r.state !== 'unexpected');
  lines.push(
    `meridian audit: ${options.file} (world ${report.worldHash.slice(0, 12)}, build ${report.expectedBuild}), ${declared.length} declared endpoint${declared.length === 1 ? '' : 's'}`,
  );
  lines.push(
    'Symbols: ~ differs from the world file (live -> declared), + declared but not live, - live but not declared',
  );
  for (const r of report.regions) {
    if (r.state === 'consistent') continue;
    lines.push('');
    lines.push(...regionBlock(r));
  }
  const consistent = report.regions.filter((r) => r.state === 'consistent');
  if (consistent.length > 0) {
    lines.push('');
    lines.push(`  = ${consistent.length} consistent: ${consistent.map(label).join(', ')}`);
    for (const r of consistent) {
      for (const o of r.overrides) lines.push(`      # ${label(r)}: ${overrideText(o)}`);
    }
  }
  lines.push('');
  const s = report.summary;
  lines.push(
    report.drift
      ? `Drift: ${s.changed} changed, ${s.missing} missing, ${s.unexpected} unexpected, ${s.consistent} consistent.`
      : `No drift: ${s.consistent} consistent.`,
  );
  return lines.join('\n');
}

function regionBlock(r: RegionAudit): string[] {
  const head = `${r.kind} ${JSON.stringify(r.name ?? '?')} at ${r.endpoint}`;
  if (r.state === 'missing') return [`  + ${head}: declared but not answering (${r.reason})`];
  if (r.state === 'unexpected') return [`  - ${head}: ${r.reason}`];
  const out = [`  ~ ${head}`];
  for (const c of r.changes) out.push(`      ${changeText(c)}`);
  for (const o of r.overrides) out.push(`      # ${overrideText(o)}`);
  return out;
}

function changeText(c: AuditChange): string {
  const detail = c.detail ? ` (${c.detail})` : '';
  if (c.action === 'create') return `+ ${c.path} = ${show(c.declared)}${detail}`;
  if (c.action === 'delete') return `- ${c.path} = ${show(c.live)}${detail}`;
  return `~ ${c.path}: ${show(c.live)} -> ${show(c.declared)}${detail}`;
}

function overrideText(o: { path: string; template: unknown; value: unknown }): string {
  return `${o.path} = ${show(o.value)} (declared override of ${show(o.template)}, not drift)`;
}

function label(r: RegionAudit): string {
  return r.kind === 'home' ? `home ${r.name}` : (r.name ?? r.endpoint);
}

function show(v: unknown): string {
  return v === undefined ? 'null' : JSON.stringify(v);
}
