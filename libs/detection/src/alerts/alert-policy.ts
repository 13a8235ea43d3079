/**
 * How findings become alerts. The detectors already confirm their conditions over several readings
 * (core/README.md); this policy adds what only the alert layer can see: repeats of point events, quiet
 * periods and flapping.
 */
import type { FindingKind, Severity } from '../core/index.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface DebounceRule {
  /** Raised findings of the kind needed within `windowMs` (event time) before an alert opens. */
  readonly count: number;
  readonly windowMs: number;
}

export interface AlertPolicy {
  /** Kinds that need repeats before they open an alert; others open on their first finding. */
  readonly debounce: Readonly<Partial<Record<FindingKind, DebounceRule>>>;
  /**
   * Event-type alerts (a spike, a step) clear once no finding of their key came for this long (event time);
   * condition alerts clear only on their detector's `cleared` finding.
   */
  readonly quietPeriodMs: Readonly<Partial<Record<FindingKind, number>>>;
  readonly defaultQuietPeriodMs: number;
  /**
   * A finding within this time (event time) after its key's alert cleared reopens that alert instead of
   * opening a new one: a flapping condition is one incident, not a series of them.
   */
  readonly reopenWithinMs: number;
  /** An event alert repeated this many times goes one severity up (once), at most to `maxSeverity`. */
  readonly repeatEscalation: { readonly occurrences: number; readonly maxSeverity: Severity } | null;
}

/**
 * Defaults. A single spike is one odd reading (a knock on the gauge, a radio glitch): it opens an alert only
 * when 3 come within a day. Statistical events go quiet after a day; change points (a step loss of coating,
 * a change of slope) describe a lasting change, so their alert stays a week after the last finding.
 */
export const DEFAULT_ALERT_POLICY: AlertPolicy = {
  debounce: { spike: { count: 3, windowMs: DAY } },
  quietPeriodMs: { spike: DAY, level_shift: 3 * DAY },
  defaultQuietPeriodMs: 7 * DAY,
  reopenWithinMs: 12 * HOUR,
  repeatEscalation: { occurrences: 10, maxSeverity: 'high' },
};

export function quietPeriodOf(policy: AlertPolicy, kind: FindingKind): number {
  return policy.quietPeriodMs[kind] ?? policy.defaultQuietPeriodMs;
}
