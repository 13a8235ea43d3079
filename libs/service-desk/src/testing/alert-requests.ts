import type { AlertWorkOrderRequest } from '../automation/alert-work-order.schema.js';
import { MS_PER_HOUR } from '../domain/index.js';
import { TEST_T0 } from './service-desk-test-app.js';

/**
 * A detector's request for a work order: DFT 182 um on a 250 um nominal, seen 2 h before TEST_T0, with a
 * forecast. `overrides` replace top-level fields; `alertId` names the alert.
 */
export function alertRequest(
  deviceId: string,
  overrides: Partial<AlertWorkOrderRequest> & { alertId?: string } = {},
): AlertWorkOrderRequest {
  const { alertId = 'alert-1', ...rest } = overrides;
  return {
    evidence: {
      alertId,
      deviceId,
      metric: 'coating_thickness_um',
      eventTime: TEST_T0 - 2 * MS_PER_HOUR,
      window: { from: TEST_T0 - 26 * MS_PER_HOUR, to: TEST_T0 - 2 * MS_PER_HOUR },
      readings: [
        { ts: TEST_T0 - 26 * MS_PER_HOUR, value: 251 },
        { ts: TEST_T0 - 2 * MS_PER_HOUR, value: 182 },
      ],
      finding: 'DFT 182 um below 80 % of nominal 250 um',
      forecast: {
        summary: 'breakthrough in ~40 days',
        thresholdCrossingAt: TEST_T0 + 960 * MS_PER_HOUR,
        confidence: 0.7,
      },
    },
    faultCategory: 'coating_damage',
    severity: 'critical',
    title: 'Coating thickness below the acceptance limit',
    ...rest,
  };
}
