// Checks a workload against its own declarations before any region runs it: every write route
// it declares home-only (`homeOnly`) must not be served by a region. The region side is
// registered on a throwaway app (no socket, no config, an outbox that refuses) and its routes
// are listed, so the check sees what a region would really serve.
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { Registry } from 'prom-client';
import type { ConfigCache } from '../config/index.js';
import { systemClock } from '../core/index.js';
import { createSessionKeyRing } from '../session/index.js';
import type { Workload } from './workload.js';

export interface WorkloadFinding {
  readonly severity: 'error';
  readonly code: 'home-only-write-in-region';
  readonly message: string;
}

/** Lists what breaks the workload's declared rules; empty when it keeps them. */
export async function lintWorkload<C>(workload: Workload<C>): Promise<WorkloadFinding[]> {
  const registry = new Registry();
  const app = workload.createRegionApp({ region: 'lint', maxBodyBytes: 16_384, registry });
  const routes: { method: string; url: string }[] = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method: String(method), url: route.url });
  });
  const parts = workload.registerRegion({
    region: 'lint',
    app,
    config: () => undefined,
    cache: new EventEmitter() as unknown as ConfigCache<C>,
    events: { enqueue: () => Promise.reject(new Error('lint: no outbox')) },
    sessionKeys: createSessionKeyRing({ keys: [{ id: 1, secret: randomBytes(32) }], activeKeyId: 1 }),
    limits: { clientSharePercent: 10 },
    clock: systemClock,
    registry,
  });
  try {
    await app.ready();
  } finally {
    await parts.close?.();
    await app.close();
  }
  const findings: WorkloadFinding[] = [];
  for (const rule of workload.homeOnly ?? []) {
    const served = routes.find((r) => r.method === rule.method.toUpperCase() && r.url === rule.url);
    if (served) {
      findings.push({
        severity: 'error',
        code: 'home-only-write-in-region',
        message: `${workload.name}: ${served.method} ${served.url} must stay home (${rule.why}), but the region registers it; move it to home.registerRoutes, or relay it home as a soft write if it may be eventually consistent`,
      });
    }
  }
  return findings;
}
