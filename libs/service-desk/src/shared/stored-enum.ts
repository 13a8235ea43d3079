/**
 * Narrows a text column to the enum the domain promises. Columns only ever receive validated values, so
 * anything else means the database was edited by hand: fail loudly rather than hand the domain a bad value.
 */
export function storedEnum<const T extends readonly string[]>(allowed: T, value: string, column: string): T[number] {
  if (isMember(allowed, value)) return value;
  throw new Error(`${column} holds ${JSON.stringify(value)}, not one of ${allowed.join(', ')}`);
}

export function storedEnumOrNull<const T extends readonly string[]>(
  allowed: T,
  value: string | null,
  column: string,
): T[number] | null {
  return value === null ? null : storedEnum(allowed, value, column);
}

function isMember<const T extends readonly string[]>(allowed: T, value: string): value is T[number] {
  return (allowed as readonly string[]).includes(value);
}
