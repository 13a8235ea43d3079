import { z } from 'zod';
import {
  BusinessCalendarSchema,
  CurrencySchema,
  DEFAULT_BUSINESS_CALENDAR,
  DEFAULT_DISPATCH_POLICY,
  DEFAULT_FOLLOW_UP_RULES,
  DEFAULT_SLA_POLICY,
  DispatchPolicySchema,
  FollowUpRuleSchema,
  SlaPolicySchema,
  type BusinessCalendar,
  type DispatchPolicy,
  type FollowUpRule,
  type LifecycleContext,
  type SlaPolicy,
} from '../domain/index.js';

const intervalMs = (fallback: number) => z.number().int().min(1000).max(86_400_000).default(fallback);

/** How often each scheduler sweeps (they also run once right after the application starts). */
export const SchedulerOptionsSchema = z.strictObject({
  enabled: z.boolean().default(true).describe('false: nothing runs by itself (tests call tick(now) directly)'),
  slaSweepMs: intervalMs(60_000),
  complaintSweepMs: intervalMs(300_000),
  preventiveSweepMs: intervalMs(3_600_000),
});

/**
 * Configuration of the service desk, every part defaulting to the domain's defaults (ARCHITECTURE.md service
 * promises, Mon-Fri 08:00-17:00 UTC, 50 km service radius...). Validated with the domain's own schemas, so a bad
 * value is refused at start naming its path (`calendar.timeZone`, `slaPolicy.priorities.P1.onSite.hours`).
 */
export const ServiceDeskOptionsSchema = z.strictObject({
  slaPolicy: SlaPolicySchema.default(DEFAULT_SLA_POLICY),
  calendar: BusinessCalendarSchema.default(DEFAULT_BUSINESS_CALENDAR),
  dispatchPolicy: DispatchPolicySchema.default(DEFAULT_DISPATCH_POLICY),
  followUps: z
    .array(FollowUpRuleSchema)
    .max(10)
    .default([...DEFAULT_FOLLOW_UP_RULES]),
  currency: CurrencySchema.default('EUR').describe('currency of parts, labour and fees (minor units)'),
  schedulers: SchedulerOptionsSchema.default(SchedulerOptionsSchema.parse({})),
});
export type ServiceDeskOptionsInput = z.input<typeof ServiceDeskOptionsSchema>;

/** The validated configuration, injected as SERVICE_DESK_CONFIG. */
export interface ServiceDeskConfig {
  readonly slaPolicy: SlaPolicy;
  readonly calendar: BusinessCalendar;
  readonly dispatchPolicy: DispatchPolicy;
  readonly followUps: readonly FollowUpRule[];
  readonly currency: string;
  readonly schedulers: z.infer<typeof SchedulerOptionsSchema>;
  /** What the lifecycle needs: policy and calendar. */
  readonly lifecycle: LifecycleContext;
}

export const SERVICE_DESK_CONFIG = Symbol('ServiceDeskConfig');

export class ServiceDeskConfigError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`service desk configuration: ${field ? `${field}: ` : ''}${message}`);
    this.name = 'ServiceDeskConfigError';
  }
}

/** Validates the module options; throws a ServiceDeskConfigError naming the first bad field. */
export function resolveServiceDeskConfig(input: ServiceDeskOptionsInput = {}): ServiceDeskConfig {
  const parsed = ServiceDeskOptionsSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ServiceDeskConfigError(issue?.path.map(String).join('.') ?? '', issue?.message ?? 'invalid');
  }
  const options = parsed.data;
  return {
    ...options,
    lifecycle: { slaPolicy: options.slaPolicy, calendar: options.calendar },
  };
}
