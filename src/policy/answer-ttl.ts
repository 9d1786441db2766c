// The TTL rule: no answer may be cached longer than the health data it was based on stays fresh.
import { detectionWindowMs } from '../health-table/index.js';
import type { Hostname, World } from '../world/index.js';

/**
 * The TTL of a hostname's answers: `ttlSeconds`, capped at the longest detection window
 * (`detectionWindowMs`) of its candidate regions in whole seconds (at least 1). `home` answers do
 * not depend on health and keep `ttlSeconds`.
 */
export function answerTtlSeconds(world: World, hostname: Hostname): number {
  if (hostname.policy === 'home') return hostname.ttlSeconds;
  let windowMs = 0;
  for (const name of hostname.candidates) {
    const region = world.regions.find((r) => r.name === name);
    if (region) windowMs = Math.max(windowMs, detectionWindowMs(region.health));
  }
  const capSeconds = Math.max(1, Math.floor(windowMs / 1000));
  return Math.min(hostname.ttlSeconds, capSeconds);
}
