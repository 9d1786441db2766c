// A ConfigSource over an EscrowStore: read the pointer (conditionally), then the object it names.
import type { ConfigSource, FetchRequest, SourceFetch } from './config-source.js';
import { parsePointer, pointerKey } from './escrow-layout.js';
import type { EscrowStore } from './escrow-store.js';

/**
 * Reads config `name` from escrow. An unchanged poll costs one conditional read of the small
 * pointer; the snapshot object is only read when the pointer names a newer version.
 */
export function escrowSource(
  store: EscrowStore,
  options: { name: string; sourceName?: string },
): ConfigSource {
  const { name } = options;
  return {
    name: options.sourceName ?? `escrow-${store.kind}`,
    async fetch(req: FetchRequest): Promise<SourceFetch> {
      try {
        const ptr = await store.get(pointerKey(name), { ifNoneMatch: req.cursor, signal: req.signal });
        if (ptr.kind === 'not-modified') return { kind: 'unchanged' };
        if (ptr.kind === 'missing') return { kind: 'empty', detail: `no pointer at ${pointerKey(name)}` };
        const pointer = parsePointer(ptr.body, name);
        if (!pointer)
          return { kind: 'failed', detail: `pointer ${pointerKey(name)} is not valid JSON for "${name}"` };
        if (pointer.version <= req.currentVersion) {
          // Only trust the pointer's cursor when it names what we hold; an older one is re-read next time.
          return pointer.version === req.currentVersion
            ? { kind: 'unchanged', cursor: ptr.etag }
            : { kind: 'unchanged' };
        }
        const obj = await store.get(pointer.key, { signal: req.signal });
        if (obj.kind !== 'found') {
          return { kind: 'failed', detail: `pointer names ${pointer.key}, which is missing` };
        }
        return { kind: 'snapshot', bytes: obj.body, cursor: ptr.etag };
      } catch (err) {
        return { kind: 'failed', detail: describe(err) };
      }
    },
  };
}

function describe(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}
