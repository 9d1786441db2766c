// Writes a drill report to disk: `<dir>/<timestamp>-<slug>.json` and `.html`.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MeridianError } from '../../core/index.js';
import type { DrillReport } from '../drill-report.js';
import { renderDrillReportHtml } from '../render-drill-report-html.js';

/** The default report directory, relative to the working directory. */
export const DEFAULT_REPORT_DIR = 'meridian-reports';

/** Writes both files; returns their paths. Throws MERIDIAN_LAB_REPORT_UNWRITABLE. */
export async function writeDrillReport(
  report: DrillReport,
  dir: string = DEFAULT_REPORT_DIR,
): Promise<{ json: string; html: string }> {
  const stamp = new Date(report.startedAtMs).toISOString().replace(/[:.]/g, '-');
  const slug = report.title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);
  const base = join(dir, `${stamp}-${slug || 'drill'}`);
  const paths = { json: `${base}.json`, html: `${base}.html` };
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(paths.json, `${JSON.stringify(report, null, 2)}\n`);
    await writeFile(paths.html, renderDrillReportHtml(report));
  } catch (err) {
    throw new MeridianError(
      'MERIDIAN_LAB_REPORT_UNWRITABLE',
      `cannot write the drill report to ${dir}: ${(err as Error).message}`,
      { cause: err },
    );
  }
  return paths;
}
