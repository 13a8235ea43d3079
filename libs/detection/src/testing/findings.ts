/** A finding as the detectors would make it, for tests of what happens to findings (alerts, attribution). */
import type { Finding } from '../core/index.js';

const HOUR = 3_600_000;

/** A raised coating-damage event on a DFT gauge an hour after its onset; `over` changes any field. */
export function dftFinding(deviceId: string, over: Partial<Finding> & Pick<Finding, 'kind' | 'detectedAt'>): Finding {
  return {
    deviceId,
    metric: 'coating_thickness_um',
    fault: 'coating_damage',
    detector: 'change_point',
    phase: 'raised',
    lifecycle: 'event',
    score: 0.7,
    severity: 'high',
    explanation: over.kind,
    eventTime: over.detectedAt - HOUR,
    evidence: { from: over.detectedAt - HOUR, to: over.detectedAt, points: [], series: 'readings' },
    ...over,
  };
}
