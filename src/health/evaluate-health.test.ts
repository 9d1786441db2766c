import { describe, expect, it } from 'vitest';
import { evaluateHealth } from './evaluate-health.js';
import type { CheckResult } from './health-check.js';

const r = (name: string, critical: boolean, ok: boolean): CheckResult => ({
  name,
  critical,
  ok,
  durationMs: 0,
});

describe('evaluateHealth', () => {
  it.each<[string, CheckResult[], boolean, 200 | 503, string[]]>([
    ['no checks', [], false, 200, []],
    ['all pass', [r('a', true, true), r('b', false, true)], false, 200, []],
    ['non-critical fails', [r('a', true, true), r('b', false, false)], false, 200, []],
    ['critical fails', [r('a', true, false), r('b', false, true)], false, 503, ['a']],
    ['draining', [r('a', true, true)], true, 503, []],
    ['two critical fail', [r('a', true, false), r('b', true, false)], false, 503, ['a', 'b']],
  ])('%s', (_name, results, draining, status, failing) => {
    const report = evaluateHealth(results, { draining });
    expect(report.status).toBe(status);
    expect(report.ok).toBe(status === 200);
    expect(report.failing).toEqual(failing);
    expect(report.checks).toEqual(results);
    expect(report.draining).toBe(draining);
  });
});
