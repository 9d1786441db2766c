// Test support: keys, a schema and helpers shared by the config tests.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { generateSigningKeys } from '../signing-keys.js';
import type { VersionCounter } from '../version-counter.js';

export const keys = generateSigningKeys();
export const otherKeys = generateSigningKeys();

export const partnersSchema = z
  .object({
    partners: z.record(z.string(), z.object({ name: z.string(), plan: z.enum(['free', 'pro']) })),
  })
  .strict();
export type Partners = z.infer<typeof partnersSchema>;

export function partners(n: number): Partners {
  const out: Partners = { partners: {} };
  for (let i = 0; i < n; i++) out.partners[`p${i}`] = { name: `Partner ${i}`, plan: i % 2 ? 'pro' : 'free' };
  return out;
}

export async function tempDir(): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'meridian-config-'));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** Polls `predicate` every 5 ms until true or `timeoutMs` (real time) passes. */
export async function until(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A VersionCounter in memory (home's is in its database): reserve() never goes back. */
export function memoryVersionCounter(): VersionCounter {
  const last = new Map<string, number>();
  return {
    async last(name) {
      return last.get(name) ?? 0;
    },
    async reserve(name, floor) {
      const next = Math.max((last.get(name) ?? 0) + 1, floor);
      last.set(name, next);
      return next;
    },
  };
}
