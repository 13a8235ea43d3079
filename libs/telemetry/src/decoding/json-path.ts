/**
 * JSON paths naming the offending field in a rejection, e.g. `[3].metrics.humidity_pct` or `ts`.
 * The whole payload is `$`. A key that is not a plain identifier is written in brackets:
 * `metrics["Bad-Name"]`, so the path stays unambiguous whatever the device sent.
 */
export const ROOT_PATH = '$';

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const MAX_KEY_IN_PATH = 80;

export function childPath(parent: string, key: string): string {
  if (IDENTIFIER.test(key) && key.length <= MAX_KEY_IN_PATH) return parent === '' ? key : `${parent}.${key}`;
  const shown = key.length > MAX_KEY_IN_PATH ? `${key.slice(0, MAX_KEY_IN_PATH)}…` : key;
  return `${parent}[${JSON.stringify(shown)}]`;
}

export function indexPath(index: number): string {
  return `[${index}]`;
}
