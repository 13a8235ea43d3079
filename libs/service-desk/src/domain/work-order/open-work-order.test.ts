import { describe, expect, it } from 'vitest';
import { ACTOR, CONTEXT, H, ID, openInput, T0 } from '../test/fixtures.js';
import { openWorkOrder, OpenWorkOrderInputSchema } from './open-work-order.js';
import { WorkOrderSchema, type DetectorEvidence } from './work-order.schema.js';
import { WorkOrderLogEntrySchema } from './work-order-log.schema.js';

const identity = { id: ID.workOrder, number: 'WO-2026-000123' };
const evidence: DetectorEvidence = {
  alertId: 'alert-7',
  deviceId: 'dft-12',
  metric: 'coating_thickness_um',
  eventTime: T0 - 3 * H,
  window: { from: T0 - 27 * H, to: T0 - 3 * H },
  readings: [
    { ts: T0 - 27 * H, value: 251 },
    { ts: T0 - 3 * H, value: 182 },
  ],
  finding: 'DFT 182 um below 80 % of nominal 250 um',
  forecast: { summary: 'breakthrough in ~40 days', thresholdCrossingAt: T0 + 960 * H, confidence: 0.7 },
};

describe('openWorkOrder', () => {
  it('opens a customer report: status new, version 1, reported now, deadlines set, a created entry', () => {
    const result = openWorkOrder(openInput({ priority: 'P1' }), identity, ACTOR.customer, T0, CONTEXT);
    if (!result.ok) throw new Error(result.error.message);
    const wo = result.workOrder;
    expect(WorkOrderSchema.parse(wo)).toEqual(wo);
    expect(wo).toMatchObject({
      status: 'new',
      version: 1,
      createdAt: T0,
      customerReportedAt: T0,
      detectedAt: null,
      technicianId: null,
    });
    expect(wo.sla.due).toEqual({ firstResponse: T0 + 0.5 * H, onSite: T0 + 2 * H, resolution: T0 + 24 * H });
    expect(WorkOrderLogEntrySchema.parse(result.entry)).toEqual({
      workOrderId: ID.workOrder,
      sequence: 1,
      at: T0,
      actor: ACTOR.customer,
      note: null,
      kind: 'created',
      to: 'new',
      source: 'customer_report',
    });
    expect(Object.isFrozen(wo.sla.targets)).toBe(true);
    expect(Object.isFrozen(CONTEXT.slaPolicy.priorities.P1)).toBe(false); // the policy was copied, not frozen
  });

  it('opens a detector work order dated by its evidence', () => {
    const result = openWorkOrder(
      openInput({ source: 'detector', customerReportedAt: null, evidence }),
      identity,
      ACTOR.system,
      T0,
      CONTEXT,
    );
    expect(result.ok && result.workOrder).toMatchObject({
      detectedAt: T0 - 3 * H,
      deviceId: 'dft-12',
      customerReportedAt: null,
      evidence,
    });
  });

  it.each([
    ['a detector work order without evidence', openInput({ source: 'detector' }), 'evidence'],
    ['evidence on a customer report', openInput({ evidence }), 'evidence'],
    ['a report dated in the future', openInput({ customerReportedAt: T0 + 1 }), 'customerReportedAt'],
  ])('refuses %s, naming the field', (_case, input, field) => {
    const result = openWorkOrder(input, identity, ACTOR.planner, T0, CONTEXT);
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_request', field } });
  });

  it('refuses a malformed number', () => {
    const result = openWorkOrder(openInput(), { ...identity, number: 'WO-26-1' }, ACTOR.planner, T0, CONTEXT);
    expect(result).toMatchObject({ ok: false, error: { field: 'number' } });
  });

  it('validates its input with defaults and named fields', () => {
    expect(
      OpenWorkOrderInputSchema.parse({
        source: 'manual',
        assetId: ID.asset,
        customerId: ID.customer,
        title: 'x',
        priority: 'P4',
      }),
    ).toMatchObject({
      deviceId: null,
      description: '',
      faultCategory: null,
      evidence: null,
    });
    const bad = OpenWorkOrderInputSchema.safeParse({
      source: 'manual',
      assetId: ID.asset,
      customerId: ID.customer,
      title: 'x',
      priority: 'P5',
      faultCategory: 'Coating Damage',
    });
    expect(bad.error?.issues.map((i) => i.path.join('.')).sort()).toEqual(['faultCategory', 'priority']);
  });
});
