import { describe, expect, it } from 'vitest';
import type { AlertChangeType } from '#detection';
import { DEFAULT_AUTOMATION_POLICY, deservesWorkOrder, isTrigger } from './automation-policy.js';

describe('automation policy', () => {
  it('acts on new, reopened and escalated alerts only', () => {
    const all: AlertChangeType[] = [
      'raised',
      'reopened',
      'repeated',
      'escalated',
      'cleared',
      'acknowledged',
      'dismissed',
      'false_positive',
    ];
    expect(all.filter(isTrigger)).toEqual(['raised', 'reopened', 'escalated']);
  });

  it('opens a work order for every domain and sensor fault, for an anomaly once it is medium', () => {
    const p = DEFAULT_AUTOMATION_POLICY;
    expect(deservesWorkOrder({ fault: 'coating_damage', severity: 'low' }, p)).toBe(true);
    expect(deservesWorkOrder({ fault: 'cathodic_protection', severity: 'high' }, p)).toBe(true);
    expect(deservesWorkOrder({ fault: 'sensor', severity: 'low' }, p)).toBe(true);
    expect(deservesWorkOrder({ fault: 'anomaly', severity: 'low' }, p)).toBe(false);
    expect(deservesWorkOrder({ fault: 'anomaly', severity: 'medium' }, p)).toBe(true);
    const never = { minSeverity: { ...p.minSeverity, corrosion: null } };
    expect(deservesWorkOrder({ fault: 'corrosion', severity: 'critical' }, never)).toBe(false);
  });
});
