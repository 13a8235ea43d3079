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

/**
 * A frozen deep copy: outputs are built partly from the caller's objects (policy targets, evidence, actor),
 * and freezing those in place would be a side effect on the caller's configuration.
 */
export function frozenCopy<T>(value: T): T {
  return deepFreeze(structuredClone(value));
}
