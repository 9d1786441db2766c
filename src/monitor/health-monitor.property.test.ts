import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ManualClock, seededRandom } from '../core/index.js';
import type { HealthTable } from '../health-table/index.js';
import { lintWorldText } from '../world/index.js';
import { applyProbe, INITIAL_FLAP_GUARD } from './flap-guard.js';
import { HealthMonitor } from './health-monitor.js';
import type { Probe, ProbeResult } from './probe.js';

const TIMEOUT = 40;
const INTERVAL = 60;

/** One scripted probe outcome: answer `ok` after `delayMs` (≥ TIMEOUT + 2 means: times out). */
const step = fc.record({
  ok: fc.boolean(),
  delayMs: fc.oneof(fc.integer({ min: 0, max: TIMEOUT - 2 }), fc.integer({ min: TIMEOUT + 2, max: 150 })),
});

describe('HealthMonitor (property)', () => {
  it('never overlaps a region, bounds concurrency, publishes consecutive versions, and its table follows the flap guard', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(step, { minLength: 1, maxLength: 30 }), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer(),
        async (scripts, rise, fall, maxConcurrentProbes, seed) => {
          const names = scripts.map((_, i) => `r${i + 1}`);
          const world = lintWorldText(
            [
              'zone: example.test',
              'home: r1',
              'regions:',
              ...names.map(
                (n, i) =>
                  `  ${n}: { cidr: 10.${i + 1}.0.0/16, address: 127.0.${i + 1}.1, location: { lat: 0, lon: 0 } }`,
              ),
              `health: { path: /healthz, intervalMs: ${INTERVAL}, timeoutMs: ${TIMEOUT}, rise: ${rise}, fall: ${fall} }`,
            ].join('\n'),
          ).world!;
          const clock = new ManualClock();
          const outcomes = new Map<string, boolean[]>(); // per address, in the order they concluded
          const inFlight = new Map<string, number>();
          let total = 0;
          let maxPerRegion = 0;
          let maxTotal = 0;
          const calls = new Map<string, number>();
          const probe: Probe = {
            check(target) {
              const n = calls.get(target.address) ?? 0;
              calls.set(target.address, n + 1);
              const script = scripts[Number(target.address.split('.')[2]) - 1]!;
              const s = script[n % script.length]!;
              inFlight.set(target.address, (inFlight.get(target.address) ?? 0) + 1);
              total++;
              maxPerRegion = Math.max(maxPerRegion, inFlight.get(target.address)!);
              maxTotal = Math.max(maxTotal, total);
              return new Promise<ProbeResult>((resolve) => {
                let done = false;
                const finish = (ok: boolean) => {
                  if (done) return;
                  done = true;
                  inFlight.set(target.address, inFlight.get(target.address)! - 1);
                  total--;
                  outcomes.set(target.address, [...(outcomes.get(target.address) ?? []), ok]);
                  resolve({ ok, durationMs: s.delayMs, ...(ok ? {} : { error: 'scripted' }) });
                };
                const cancel = clock.setTimeout(() => finish(s.ok), s.delayMs);
                target.signal?.addEventListener('abort', () => {
                  cancel();
                  finish(false);
                });
              });
            },
          };
          const monitor = new HealthMonitor({
            world,
            clock,
            probe,
            random: seededRandom(seed),
            maxConcurrentProbes,
          });
          const versions: number[] = [];
          monitor.onChange((t: HealthTable) => versions.push(t.version));
          monitor.start();
          for (let i = 0; i < 1500; i++) {
            clock.advance(1);
            await new Promise<void>((r) => setImmediate(r));
          }
          const table = monitor.table();
          const concluded = new Map([...outcomes].map(([k, v]) => [k, [...v]])); // before stop() aborts
          await monitor.stop();
          expect(maxPerRegion).toBe(1);
          expect(maxTotal).toBeLessThanOrEqual(maxConcurrentProbes);
          expect(versions).toEqual(versions.map((_, i) => i + 1));
          for (const r of table.regions) {
            let g = INITIAL_FLAP_GUARD;
            for (const ok of concluded.get(`127.0.${r.index + 1}.1`) ?? [])
              g = applyProbe(g, ok, { rise, fall });
            expect(r.state).toBe(g.state);
          }
        },
      ),
      { numRuns: process.env.CI ? 15 : 40 },
    );
  });
});
