import type { Alert } from '#detection';

export const T0 = Date.UTC(2025, 4, 1);
const HOUR = 3_600_000;

/** An active DFT alert as detection commits it; override what a test is about. */
export function alertFixture(overrides: Partial<Alert> = {}): Alert {
  return {
    id: '4a1c2f1e-8b0e-4a8e-9c51-0d1f2e3a4b5c',
    deviceId: 'gauge-7',
    assetId: '0f0e0d0c-0b0a-4909-8807-060504030201',
    customerId: '11111111-2222-4333-8444-555555555555',
    metric: 'coating_thickness_um',
    kind: 'dft_below_minimum',
    fault: 'coating_degradation',
    detector: 'domain_rule',
    lifecycle: 'condition',
    severity: 'high',
    score: 0.83,
    status: 'active',
    explanation: 'Dry film thickness 181 um is below 200 um (80 % of the 250 um nominal DFT) for 3 readings.',
    standard: 'ISO 19840',
    evidence: {
      from: T0,
      to: T0 + 2 * HOUR,
      series: 'readings',
      points: [
        { ts: T0, value: 182.4 },
        { ts: T0 + HOUR, value: 180.9 },
        { ts: T0 + 2 * HOUR, value: 181.3 },
      ],
    },
    prediction: null,
    details: null,
    eventTime: T0 + 2 * HOUR,
    onsetTime: T0,
    openedAt: Date.UTC(2026, 0, 1),
    lastEventTime: T0 + 2 * HOUR,
    occurrences: 1,
    clearedAt: null,
    clearedEventTime: null,
    clearReason: null,
    acknowledgedBy: null,
    acknowledgedAt: null,
    closedBy: null,
    closedAt: null,
    note: null,
    version: 1,
    updatedAt: Date.UTC(2026, 0, 1),
    ...overrides,
  };
}
