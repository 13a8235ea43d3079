import { describe, expect, it } from 'vitest';
import { ACTOR, H, ID, openedWorkOrder, T0, workOrderIn } from '../test/fixtures.js';
import type { WorkOrder } from './work-order.schema.js';
import { findOpenWorkOrderForReport, linkCustomerReport } from './link-customer-report.js';

const detectorWorkOrder = (): WorkOrder => ({
  ...openedWorkOrder({ faultCategory: 'coating_damage' }),
  source: 'detector',
  customerReportedAt: null,
});

describe('linkCustomerReport', () => {
  it('records the first customer report on a detector work order: the platform was first', () => {
    const result = linkCustomerReport(detectorWorkOrder(), ACTOR.customer, T0 + 5 * H);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.detectionWasFirst).toBe(true);
    expect(result.workOrder).toMatchObject({ customerReportedAt: T0 + 5 * H, version: 2 });
    expect(result.entry).toEqual({
      workOrderId: ID.workOrder,
      sequence: 2,
      at: T0 + 5 * H,
      actor: ACTOR.customer,
      note: null,
      kind: 'customer_report_linked',
      detectionWasFirst: true,
    });
  });

  it('changes nothing on a second report', () => {
    const once = linkCustomerReport(detectorWorkOrder(), ACTOR.customer, T0 + 5 * H);
    if (!once.ok) throw new Error(once.error.message);
    const twice = linkCustomerReport(once.workOrder, ACTOR.customer, T0 + 6 * H);
    expect(twice).toEqual({ ok: true, workOrder: once.workOrder, entry: null, detectionWasFirst: true });
  });

  it('is not a proactive catch on a work order the customer opened', () => {
    const result = linkCustomerReport(
      { ...openedWorkOrder(), customerReportedAt: null, source: 'manual' },
      ACTOR.customer,
      T0 + H,
    );
    expect(result.ok && result.detectionWasFirst).toBe(false);
  });

  it('refuses a closed work order', () => {
    expect(linkCustomerReport(workOrderIn('closed'), ACTOR.customer, T0)).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
  });
});

describe('findOpenWorkOrderForReport', () => {
  const base = openedWorkOrder({ faultCategory: 'coating_damage' });
  const other = '00000000-0000-4000-8000-0000000000b9';
  const candidates: WorkOrder[] = [
    { ...base, id: '00000000-0000-4000-8000-000000000001', createdAt: T0 + 2 * H },
    { ...base, id: '00000000-0000-4000-8000-000000000002', createdAt: T0 + H },
    { ...base, id: '00000000-0000-4000-8000-000000000003', createdAt: T0, status: 'closed' },
    { ...base, id: '00000000-0000-4000-8000-000000000004', createdAt: T0, source: 'preventive_plan' },
    { ...base, id: '00000000-0000-4000-8000-000000000005', createdAt: T0, assetId: other },
    { ...base, id: '00000000-0000-4000-8000-000000000006', createdAt: T0, faultCategory: 'cathodic_protection' },
  ];

  it('picks the oldest open fault work order on the asset with a compatible category', () => {
    expect(findOpenWorkOrderForReport(candidates, { assetId: ID.asset, faultCategory: 'coating_damage' })?.id).toBe(
      '00000000-0000-4000-8000-000000000002',
    );
    expect(findOpenWorkOrderForReport(candidates, { assetId: ID.asset, faultCategory: null })?.id).toBe(
      '00000000-0000-4000-8000-000000000006',
    );
    expect(findOpenWorkOrderForReport(candidates, { assetId: ID.asset, faultCategory: 'structural' })).toBeNull();
  });
});
