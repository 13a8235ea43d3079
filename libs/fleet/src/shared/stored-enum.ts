/**
 * Narrows a text column to the enum the API promises. The column only ever receives validated
 * values, so anything else means the database was edited by hand: fail loudly rather than answer
 * a response that breaks its own schema.
 */
export function storedEnum<const T extends readonly string[]>(allowed: T, value: string, column: string): T[number] {
  if (isMember(allowed, value)) return value;
  throw new Error(`${column} holds ${JSON.stringify(value)}, not one of ${allowed.join(', ')}`);
}

function isMember<const T extends readonly string[]>(allowed: T, value: string): value is T[number] {
  return (allowed as readonly string[]).includes(value);
}
