import { EVENT_TYPE_GLOB } from '#contracts';

/** Decides whether an event type passes a list of type filters (`work_order.*`, `alert.raised`, `*`). */
export type TypeFilter = (type: string) => boolean;

/** Every type passes: no filter given. */
export const ALL_TYPES: TypeFilter = () => true;

/**
 * Compiles type filters (see EVENT_TYPE_GLOB in #contracts) into one predicate: a type passes when
 * any filter matches it whole. `*` matches any run of characters, dots included; everything else
 * matches itself. An empty list lets nothing through (a webhook with no types receives nothing).
 */
export function compileTypeFilter(globs: readonly string[]): TypeFilter {
  if (globs.includes('*')) return ALL_TYPES;
  for (const glob of globs) {
    if (!EVENT_TYPE_GLOB.test(glob)) throw new Error(`invalid event type filter ${JSON.stringify(glob)}`);
  }
  if (globs.length === 0) return () => false;
  // Only [a-z0-9_.*] reach here: escaping the dot and expanding the star is the whole translation.
  const source = globs.map((g) => g.replaceAll('.', '\\.').replaceAll('*', '.*')).join('|');
  const regex = new RegExp(`^(?:${source})$`);
  return (type) => regex.test(type);
}
