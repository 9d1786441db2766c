import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isMeridianError } from '../../core/index.js';
import { syntheticDrill } from '../test-support/synthetic-drill.js';
import { writeDrillReport } from './write-drill-report.js';

const dir = mkdtempSync(join(tmpdir(), 'meridian-lab-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeDrillReport', () => {
  it('writes the JSON and the HTML page side by side, named by start time and drill', async () => {
    const report = syntheticDrill();
    const paths = await writeDrillReport(report, join(dir, 'meridian-reports'));
    expect(paths.json).toMatch(
      /meridian-reports\/2026-11-28T16-00-00-000Z-region-down-eu-west-2-for-20s\.json$/,
    );
    expect(JSON.parse(readFileSync(paths.json, 'utf8'))).toEqual(report);
    expect(readFileSync(paths.html, 'utf8')).toMatch(/^<!doctype html>/);
  });

  it('says where it could not write', async () => {
    const file = join(dir, 'not-a-dir');
    writeFileSync(file, '');
    await expect(writeDrillReport(syntheticDrill(), join(file, 'sub'))).rejects.toSatisfy(
      (e) => isMeridianError(e, 'MERIDIAN_LAB_REPORT_UNWRITABLE') && /not-a-dir/.test((e as Error).message),
    );
  });
});
