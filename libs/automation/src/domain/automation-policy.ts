import { type AlertChangeType, type FaultClass, type Severity, severityRank } from '#detection';

/**
 * Which alerts open (or join) a work order. A work order sends a technician out, so every fault class has a
 * lowest severity that is worth one; `null` never opens one (the alert stays for a planner to review).
 */
export interface AutomationPolicy {
  readonly minSeverity: Readonly<Record<FaultClass, Severity | null>>;
}

/**
 * Defaults: every domain fault and every sensor fault opens a work order; a statistical anomaly without a
 * domain meaning (a spike, a level shift, a generic step) only once it is medium, i.e. repeated until the alert
 * lifecycle raised it a severity (a single odd reading is not worth a visit).
 */
export const DEFAULT_AUTOMATION_POLICY: AutomationPolicy = {
  minSeverity: {
    coating_damage: 'low',
    coating_degradation: 'low',
    corrosion: 'low',
    cathodic_protection: 'low',
    sensor: 'low',
    anomaly: 'medium',
  },
};

/** Alert changes that may open a work order: a new, reopened or more severe alert. */
const TRIGGERS: ReadonlySet<AlertChangeType> = new Set<AlertChangeType>(['raised', 'reopened', 'escalated']);

export function isTrigger(type: AlertChangeType): boolean {
  return TRIGGERS.has(type);
}

/** Whether an alert of this fault class and severity is worth a work order under the policy. */
export function deservesWorkOrder(
  alert: { readonly fault: FaultClass; readonly severity: Severity },
  policy: AutomationPolicy,
): boolean {
  const min = policy.minSeverity[alert.fault];
  return min !== null && severityRank(alert.severity) >= severityRank(min);
}
