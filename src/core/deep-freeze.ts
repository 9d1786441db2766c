// Recursively freezes plain objects and arrays so validated config cannot change under a reader.

/**
 * Freezes `value` and everything reachable from it; returns it typed as readonly. Typed
 * arrays cannot be frozen by JavaScript and are left as they are (treat them as read-only).
 */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !ArrayBuffer.isView(value) && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) {
      deepFreeze((value as Record<string, unknown>)[key]);
    }
  }
  return value;
}
