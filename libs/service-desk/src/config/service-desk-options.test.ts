import { describe, expect, it } from 'vitest';
import { DEFAULT_BUSINESS_CALENDAR, DEFAULT_DISPATCH_POLICY, DEFAULT_SLA_POLICY } from '../domain/index.js';
import { resolveServiceDeskConfig, ServiceDeskConfigError } from './service-desk-options.js';

describe('service desk configuration', () => {
  it('defaults to the domain defaults', () => {
    const config = resolveServiceDeskConfig();
    expect(config.slaPolicy).toEqual(DEFAULT_SLA_POLICY);
    expect(config.calendar).toEqual(DEFAULT_BUSINESS_CALENDAR);
    expect(config.dispatchPolicy).toEqual(DEFAULT_DISPATCH_POLICY);
    expect(config.followUps).toEqual([{ kind: 'call', afterDays: 7 }]);
    expect(config.currency).toBe('EUR');
    expect(config.schedulers).toEqual({
      enabled: true,
      slaSweepMs: 60_000,
      complaintSweepMs: 300_000,
      preventiveSweepMs: 3_600_000,
    });
    expect(config.lifecycle).toEqual({ slaPolicy: config.slaPolicy, calendar: config.calendar });
  });

  it('takes overrides validated by the domain schemas', () => {
    const config = resolveServiceDeskConfig({
      calendar: { ...DEFAULT_BUSINESS_CALENDAR, timeZone: 'Europe/Oslo', holidays: ['2026-05-17'] },
      dispatchPolicy: { serviceRadiusKm: 80 },
      currency: 'NOK',
    });
    expect(config.calendar.timeZone).toBe('Europe/Oslo');
    expect(config.dispatchPolicy).toMatchObject({ serviceRadiusKm: 80, loadPenaltyKm: 10 });
    expect(config.currency).toBe('NOK');
  });

  it.each([
    [{ calendar: { ...DEFAULT_BUSINESS_CALENDAR, timeZone: 'Mars/Olympus' } }, 'calendar.timeZone'],
    [
      {
        slaPolicy: {
          ...DEFAULT_SLA_POLICY,
          priorities: {
            ...DEFAULT_SLA_POLICY.priorities,
            P1: { firstResponse: { basis: 'wall_clock', hours: -1 }, onSite: null, resolution: null },
          },
        },
      },
      'slaPolicy.priorities.P1.firstResponse.hours',
    ],
    [{ currency: 'euro' }, 'currency'],
    [{ schedulers: { slaSweepMs: 10 } }, 'schedulers.slaSweepMs'],
  ])('refuses a bad value naming its field (%#)', (options, field) => {
    expect(() => resolveServiceDeskConfig(options as never)).toThrow(ServiceDeskConfigError);
    try {
      resolveServiceDeskConfig(options as never);
    } catch (error) {
      expect((error as ServiceDeskConfigError).field).toBe(field);
      expect((error as Error).message).toContain(field);
    }
  });
});
