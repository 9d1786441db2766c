import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { LabMetrics } from './lab-metrics.js';

describe('LabMetrics', () => {
  it('counts requests by outcome and times the successful ones, on its own registry', async () => {
    const registry = new Registry();
    const m = new LabMetrics(registry);
    const base = {
      location: 'london',
      step: 'session' as const,
      atMs: 0,
      dnsMs: 0,
      connectMs: 0,
      responseMs: 0,
      attempts: 1,
    };
    m.observe({ ...base, totalMs: 30, region: 'eu-west-2', ok: true });
    m.observe({ ...base, totalMs: 0, region: null, ok: false, error: 'connect-refused' });
    const text = await registry.metrics();
    expect(text).toContain(
      'meridian_lab_user_requests_total{location="london",region="eu-west-2",step="session",outcome="ok"} 1',
    );
    expect(text).toContain(
      'meridian_lab_user_requests_total{location="london",region="none",step="session",outcome="connect-refused"} 1',
    );
    expect(text).toContain(
      'meridian_lab_user_request_duration_seconds_count{location="london",step="session"} 1',
    );
  });
});
