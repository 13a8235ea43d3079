import type { FaultKind } from './fault-kinds.js';

/** What the service desk answered a simulated customer's report (`POST /api/reports`). */
export interface CustomerReportAnswer {
  readonly reportId: string;
  /** linked: the fault already had an open work order; opened: the report opened one. */
  readonly outcome: 'linked' | 'opened';
  /** The sensors had opened the work order before the customer's report: the platform was first. */
  readonly platformWasFirst: boolean;
  readonly workOrderId: string;
  readonly workOrderNumber: string;
  /** What opened that work order: detector, customer_report... */
  readonly workOrderSource: string;
}

/** How one report went: sent (with the answer), only recorded in the truth, or refused / unreachable. */
export type CustomerReportOutcome =
  | { readonly status: 'sent'; readonly answer: CustomerReportAnswer }
  | { readonly status: 'recorded' }
  | { readonly status: 'failed'; readonly error: string };

type Reportable = FaultKind | 'coating_end_of_life';

/**
 * The category a customer picks in the self-service form for what they see (the service desk's fault
 * categories): rust and flaking paint are a coating job, rust bleeding at a probe is corrosion, a survey
 * outside the criterion is cathodic protection, odd or missing data is the instrument or its link.
 */
export const CUSTOMER_CATEGORY: Readonly<Record<Reportable, string>> = {
  coating_damage: 'coating_damage',
  accelerated_degradation: 'coating_damage',
  coating_end_of_life: 'coating_damage',
  corrosion_onset: 'corrosion',
  cp_failure: 'cathodic_protection',
  stuck_value: 'sensor_fault',
  spikes: 'sensor_fault',
  drift: 'sensor_fault',
  battery_depletion: 'sensor_fault',
  dropout: 'communication',
  offline: 'communication',
};

/** How urgent it looks to the customer: damage to the asset before a misbehaving instrument. */
export const CUSTOMER_PRIORITY: Readonly<Record<Reportable, 'P2' | 'P3'>> = {
  coating_damage: 'P2',
  accelerated_degradation: 'P3',
  coating_end_of_life: 'P3',
  corrosion_onset: 'P2',
  cp_failure: 'P2',
  stuck_value: 'P3',
  spikes: 'P3',
  drift: 'P3',
  battery_depletion: 'P3',
  dropout: 'P3',
  offline: 'P3',
};
