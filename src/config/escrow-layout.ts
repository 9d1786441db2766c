// Where a config's snapshots and pointer live in the escrow store, and the pointer's format.

/** The immutable object holding one version's envelope. */
export function snapshotKey(name: string, version: number): string {
  return `${name}/snapshots/${String(version).padStart(12, '0')}.json`;
}

/** The pointer, written after the snapshot object; it also persists the publisher's last version. */
export function pointerKey(name: string): string {
  return `${name}/latest.json`;
}

export interface EscrowPointer {
  readonly name: string;
  readonly version: number;
  readonly key: string;
}

/** Parses pointer bytes; undefined when they are not a valid pointer for `name`. */
export function parsePointer(bytes: Uint8Array, name: string): EscrowPointer | undefined {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const p = value as Record<string, unknown>;
  if (p.name !== name || typeof p.key !== 'string') return undefined;
  if (typeof p.version !== 'number' || !Number.isSafeInteger(p.version) || p.version < 1) return undefined;
  return { name, version: p.version, key: p.key };
}

export function encodePointer(pointer: EscrowPointer): Buffer {
  return Buffer.from(JSON.stringify(pointer), 'utf8');
}
