/**
 * Freezes a plain data object and everything it holds. Log entries and work-order snapshots handed out by the
 * domain are immutable values: a caller that tries to edit history gets a TypeError in strict mode.
 */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) {
      deepFreeze((value as Record<string, unknown>)[key]);
    }
  }
  return value;
}
