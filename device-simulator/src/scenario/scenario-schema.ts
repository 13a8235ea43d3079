import { z } from 'zod';
import { CORROSIVITY_CATEGORIES, DEVICE_KINDS, DURABILITY_CLASSES, MAX_READINGS_PER_MESSAGE } from '#contracts';
import { FAULT_KINDS } from '../core/fault-kinds.js';
import { CLIMATE_REGIONS } from '../core/regions.js';

/** A `{min, max}` range inside [lo, hi]. */
const range = (lo: number, hi: number, unit: string) =>
  z
    .strictObject({
      min: z.number().min(lo).max(hi).describe(unit),
      max: z.number().min(lo).max(hi).describe(unit),
    })
    .refine((r) => r.min <= r.max, { message: 'min must not be greater than max', path: ['max'] });

/** Relative weights of the values of an enum; at least one must be positive. */
const weights = <const T extends readonly [string, ...string[]]>(values: T) =>
  z
    .partialRecord(z.enum(values), z.number().nonnegative())
    .refine((w) => Object.values(w).some((v) => typeof v === 'number' && v > 0), {
      message: 'give at least one positive weight',
    });

const samplingInterval = z
  .number()
  .int()
  .min(1)
  .max(31 * 86400)
  .describe('seconds between two readings of a device');

export const FleetConfigSchema = z.strictObject({
  devices: z.number().int().min(1).max(100_000).describe('number of devices (sensors) in the fleet'),
  customers: z.number().int().min(1).max(10_000).optional().describe('default: one customer per 25 devices'),
  devicesPerAsset: range(1, 3, 'devices per asset').default({ min: 1, max: 3 }),
  samplingIntervalS: z
    .union([samplingInterval, z.array(samplingInterval).min(1)])
    .default(3600)
    .describe('one interval, or a list each device picks from'),
  corrosivity: weights(CORROSIVITY_CATEGORIES).default({
    C2: 1,
    C3: 2,
    C4: 2,
    C5: 1.5,
    CX: 0.5,
    Im1: 0.5,
    Im2: 1,
    Im3: 0.5,
  }),
  durability: weights(DURABILITY_CLASSES).default({ L: 1, M: 2, H: 2 }),
  nominalDftUm: range(20, 2000, 'um').default({ min: 120, max: 400 }),
  deviceKinds: weights(DEVICE_KINDS).default({
    multi: 2,
    dft_gauge: 2,
    er_probe: 2,
    lpr_probe: 0.5,
    cp_logger: 1.5,
    environment: 1,
  }),
  cathodicProtection: z
    .enum(['typical', 'none', 'all'])
    .default('typical')
    .describe('typical: immersed, buried, hulls and offshore steel, and some pipelines and tanks'),
  regions: z
    .array(z.enum(CLIMATE_REGIONS.map((r) => r.code) as [string, ...string[]]))
    .min(1)
    .optional()
    .describe('climate region codes to place assets in; default all'),
});

export const FaultConfigSchema = z.strictObject({
  assetFaultRate: z.number().min(0).max(1).default(0.1).describe('probability that an asset gets an asset fault'),
  sensorFaultRate: z.number().min(0).max(1).default(0.05).describe('probability that a device gets a sensor fault'),
  kinds: weights(FAULT_KINDS).default(Object.fromEntries(FAULT_KINDS.map((k) => [k, 1]))),
  everyKind: z.boolean().default(false).describe('inject every kind of positive weight at least once'),
  startWindow: range(0, 1, 'fraction of the run').default({ min: 0.15, max: 0.6 }),
  offlineDays: range(0.01, 365, 'days').default({ min: 1.5, max: 4 }),
  dropoutDays: range(1.1, 365, 'days').default({ min: 1.5, max: 4 }),
  batteryLifeDays: range(0.1, 365, 'days').default({ min: 3, max: 20 }),
});

export const CustomerEmulationSchema = z.strictObject({
  reportDelayHours: range(1, 24 * 60, 'hours')
    .default({ min: 2, max: 72 })
    .describe('how long after a failure becomes noticeable the customer reports it'),
});

export const TransportConfigSchema = z.strictObject({
  badPayloadRate: z.number().min(0).max(0.9).default(0).describe('fraction of published messages that are malformed'),
  uploadBatchSize: z
    .number()
    .int()
    .min(1)
    .max(MAX_READINGS_PER_MESSAGE)
    .default(100)
    .describe('readings per message when a device uploads its offline backlog'),
  clockOffsetMaxS: z.number().min(0).max(240).default(20).describe('largest device clock error, seconds'),
  sampleJitterS: z.number().min(0).max(60).default(2).describe('standard deviation of the sampling instant, seconds'),
});

const startDate = z.union([z.iso.datetime({ offset: true }), z.iso.date()]).describe('ISO 8601 start of event time');

export const ScenarioSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'name may hold lower-case letters, digits and -, at most 40 characters'),
  description: z.string().max(2000).default(''),
  seed: z.number().int().min(0).max(0xffffffff).default(1),
  start: startDate,
  days: z.number().positive().max(3660),
  fleet: FleetConfigSchema,
  faults: FaultConfigSchema.default(FaultConfigSchema.parse({})),
  customers: CustomerEmulationSchema.default(CustomerEmulationSchema.parse({})),
  transport: TransportConfigSchema.default(TransportConfigSchema.parse({})),
});

/** A scenario as written in a file (defaults not applied). */
export type ScenarioInput = z.input<typeof ScenarioSchema>;
/** A validated scenario with every default filled in. */
export type Scenario = z.output<typeof ScenarioSchema>;
export type FleetConfig = Scenario['fleet'];
export type FaultConfig = Scenario['faults'];
export type TransportConfig = Scenario['transport'];

/** Parses a scenario; the error lists one line per bad field, named by its path. */
export function parseScenario(raw: unknown, source: string): Scenario {
  const result = ScenarioSchema.safeParse(raw);
  if (result.success) return result.data;
  throw new ScenarioError(
    result.error.issues.map((issue) => `${source}: ${issue.path.join('.') || '(root)'}: ${issue.message}`),
  );
}

export class ScenarioError extends Error {
  constructor(readonly lines: readonly string[]) {
    super(lines.join('\n'));
    this.name = 'ScenarioError';
  }
}

export function scenarioStartMs(scenario: Pick<Scenario, 'start'>): number {
  return Date.parse(scenario.start.length === 10 ? `${scenario.start}T00:00:00Z` : scenario.start);
}
