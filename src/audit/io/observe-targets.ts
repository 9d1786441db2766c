// Asks every target for `/status`, a bounded number at a time, and keeps the targets' order.
import { Agent } from 'undici';
import type { AuditTarget } from '../audit-targets.js';
import type { Observation } from '../observation.js';
import { fetchStatus } from './fetch-status.js';

export interface ObserveOptions {
  /** Per-request deadline (default 2000 ms). */
  readonly timeoutMs?: number;
  /** Requests in flight at once (default 32). */
  readonly concurrency?: number;
}

/** One observation per target, in target order; never rejects. */
export async function observeTargets(
  targets: readonly AuditTarget[],
  options: ObserveOptions = {},
): Promise<Observation[]> {
  const timeoutMs = options.timeoutMs ?? 2000;
  const out: Observation[] = new Array(targets.length);
  let next = 0;
  // A pool of its own: no connection outlives the audit or is shared with other callers.
  const agent = new Agent({ connect: { timeout: timeoutMs }, keepAliveTimeout: 1000, pipelining: 0 });
  const worker = async () => {
    while (next < targets.length) {
      const i = next++;
      out[i] = await fetchStatus(targets[i]!, timeoutMs, agent);
    }
  };
  const n = Math.max(1, Math.min(options.concurrency ?? 32, targets.length));
  try {
    await Promise.all(Array.from({ length: n }, worker));
  } finally {
    await agent.destroy();
  }
  return out;
}
