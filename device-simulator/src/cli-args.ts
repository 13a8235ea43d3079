import { parseArgs } from 'node:util';
import { z } from 'zod';
import { DEVICE_ID_PATTERN, MAX_READINGS_PER_MESSAGE } from '#contracts';
import type { Speed } from './run/pacer.js';
import type { ScenarioOverrides } from './scenario/load-scenario.js';

/** Everything the command line asks for, validated. */
export interface CliOptions {
  readonly scenario: string;
  readonly apiUrl: string;
  readonly adminToken: string | undefined;
  readonly gatewayUrl: string;
  readonly overrides: ScenarioOverrides;
  readonly speed: Speed;
  readonly truthFile: string | undefined;
  readonly dryRun: boolean;
  readonly idPrefix: string | undefined;
  readonly maxInFlight: number;
  /** true / false when asked for; undefined: send them when the gateway has the customer API. */
  readonly customerReports: boolean | undefined;
  readonly quiet: boolean;
  readonly help: boolean;
  readonly listScenarios: boolean;
}

export type CliParseResult =
  { readonly ok: true; readonly options: CliOptions } | { readonly ok: false; readonly errors: string[] };

const number = z
  .string()
  .trim()
  .regex(/^-?(\d+\.?\d*|\.\d+)(e-?\d+)?$/i, 'must be a number')
  .transform(Number);
const integer = z.string().trim().regex(/^\d+$/, 'must be a whole number').transform(Number);

/** One schema per flag: each bad flag gives its own error line. */
const FLAGS = {
  scenario: {
    type: 'string',
    schema: z.string().min(1, 'must name a scenario or a file'),
    arg: 'NAME|path',
    help: 'shipped scenario (smoke, fault-zoo, year-of-fleet, burst-backlog) or a JSON file',
  },
  api: {
    type: 'string',
    schema: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }),
    arg: 'URL',
    help: 'gateway REST API (default http://127.0.0.1:3000)',
  },
  token: {
    type: 'string',
    schema: z.string().min(1, 'must not be empty'),
    arg: 'TOKEN',
    help: 'admin token for provisioning (default $ADMIN_TOKEN)',
  },
  gateway: {
    type: 'string',
    schema: z.url({ protocol: /^(mqtts?|wss?)$/, error: 'must be an mqtt://host:port URL (or mqtts, ws, wss)' }),
    arg: 'URL',
    help: 'gateway MQTT broker (default mqtt://127.0.0.1:1883)',
  },
  days: {
    type: 'string',
    schema: number.pipe(z.number().positive('must be more than 0').max(3660, 'at most 3660 (ten years)')),
    arg: 'N',
    help: 'simulated days (overrides the scenario)',
  },
  devices: {
    type: 'string',
    schema: integer.pipe(z.number().min(1, 'at least 1').max(100_000, 'at most 100000')),
    arg: 'N',
    help: 'number of devices (overrides the scenario)',
  },
  seed: {
    type: 'string',
    schema: integer.pipe(z.number().max(0xffffffff, 'at most 4294967295')),
    arg: 'N',
    help: 'random seed (overrides the scenario); same seed, same run',
  },
  start: {
    type: 'string',
    schema: z.union([z.iso.datetime({ offset: true }), z.iso.date()], {
      error: 'must be an ISO date (2025-01-31) or date-time with offset',
    }),
    arg: 'DATE',
    help: 'start of event time (overrides the scenario)',
  },
  speed: {
    type: 'string',
    schema: z.union([z.literal('max'), number.pipe(z.number().positive())], {
      error: 'must be "max" or a positive number (simulated seconds per second)',
    }),
    arg: 'max|N',
    help: 'max: as fast as the gateway acks; N: N simulated seconds per second (3600 = an hour a second)',
  },
  truth: { type: 'string', schema: z.string().min(1), arg: 'FILE', help: 'write the ground truth as JSON Lines' },
  'bad-payload-rate': {
    type: 'string',
    schema: number.pipe(z.number().min(0, 'must be from 0 to 0.9').max(0.9, 'must be from 0 to 0.9')),
    arg: 'F',
    help: 'fraction of messages sent malformed (0-0.9)',
  },
  'batch-size': {
    type: 'string',
    schema: integer.pipe(z.number().min(1).max(MAX_READINGS_PER_MESSAGE, `at most ${MAX_READINGS_PER_MESSAGE}`)),
    arg: 'N',
    help: 'readings per message in an offline backlog upload',
  },
  'id-prefix': {
    type: 'string',
    schema: z
      .string()
      .regex(DEVICE_ID_PATTERN, 'may hold letters, digits and _ . : - and must start with a letter or digit')
      .max(100),
    arg: 'P',
    help: 'device id prefix (default sim-{scenario}-{seed}-)',
  },
  'max-in-flight': {
    type: 'string',
    schema: integer.pipe(z.number().min(1).max(65535)),
    arg: 'N',
    help: 'unacknowledged QoS 1 messages per device (default 16)',
  },
  'customer-reports': {
    type: 'boolean',
    schema: z.boolean(),
    help: "send the customers' fault reports to POST /api/reports (default: when the gateway has it; --no-customer-reports: only in the truth)",
  },
  'dry-run': {
    type: 'boolean',
    schema: z.boolean(),
    help: 'generate and encode everything, no network; reports the generation rate',
  },
  quiet: { type: 'boolean', schema: z.boolean(), help: 'no progress bars' },
  'list-scenarios': { type: 'boolean', schema: z.boolean(), help: 'list the shipped scenarios' },
  help: { type: 'boolean', schema: z.boolean(), help: 'this help' },
} as const satisfies Record<string, { type: 'string' | 'boolean'; schema: z.ZodType; arg?: string; help: string }>;

type Flag = keyof typeof FLAGS;
type FlagValue<F extends Flag> = z.output<(typeof FLAGS)[F]['schema']>;

export function usage(): string {
  const lines = Object.entries(FLAGS).map(([name, f]) => {
    const left = `--${name}${'arg' in f ? ` ${f.arg}` : ''}`;
    return `  ${left.padEnd(30)} ${f.help}`;
  });
  return ['Usage: npm run simulate -- [options]', '', ...lines].join('\n');
}

/** Parses argv (without node and the script); every bad argument gives one line naming it. */
export function parseCliArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): CliParseResult {
  const options = Object.fromEntries(
    Object.entries(FLAGS).map(([name, f]) => [name, name === 'help' ? { type: f.type, short: 'h' } : { type: f.type }]),
  ) as Record<string, { type: 'string' | 'boolean'; short?: string }>;
  const { values, positionals } = parseArgs({
    args: [...argv],
    options,
    strict: false,
    allowPositionals: true,
    // --no-customer-reports
    allowNegative: true,
  });
  const errors: string[] = [];
  for (const p of positionals) errors.push(`unexpected argument "${p}" (options start with --; see --help)`);

  const parsed: Partial<{ [F in Flag]: FlagValue<F> }> = {};
  for (const [name, raw] of Object.entries(values)) {
    if (!Object.hasOwn(FLAGS, name)) {
      errors.push(`--${name}: unknown option (see --help)`);
      continue;
    }
    const flag = FLAGS[name as Flag];
    if (flag.type === 'string' && (typeof raw !== 'string' || raw.startsWith('--'))) {
      errors.push(`--${name}: needs a value`);
      continue;
    }
    if (flag.type === 'boolean' && typeof raw !== 'boolean') {
      errors.push(`--${name}: takes no value`);
      continue;
    }
    const result = flag.schema.safeParse(raw);
    if (result.success) (parsed as Record<string, unknown>)[name] = result.data;
    else errors.push(`--${name}: ${result.error.issues[0]?.message ?? 'invalid'} (got ${JSON.stringify(raw)})`);
  }
  if (errors.length > 0) return { ok: false, errors };

  const overrides: { -readonly [K in keyof ScenarioOverrides]: ScenarioOverrides[K] } = {};
  if (parsed.days !== undefined) overrides.days = parsed.days;
  if (parsed.devices !== undefined) overrides.devices = parsed.devices;
  if (parsed.seed !== undefined) overrides.seed = parsed.seed;
  if (parsed.start !== undefined) overrides.start = parsed.start;
  if (parsed['bad-payload-rate'] !== undefined) overrides.badPayloadRate = parsed['bad-payload-rate'];
  if (parsed['batch-size'] !== undefined) overrides.uploadBatchSize = parsed['batch-size'];

  const dryRun = parsed['dry-run'] ?? false;
  const help = parsed.help ?? false;
  const list = parsed['list-scenarios'] ?? false;
  const adminToken = parsed.token ?? (env['ADMIN_TOKEN'] || undefined);
  if (!dryRun && !help && !list && adminToken === undefined) {
    return {
      ok: false,
      errors: ['--token: the admin token is required to provision the fleet (or set ADMIN_TOKEN, or use --dry-run)'],
    };
  }
  return {
    ok: true,
    options: {
      scenario: parsed.scenario ?? 'smoke',
      apiUrl: parsed.api ?? 'http://127.0.0.1:3000',
      adminToken,
      gatewayUrl: parsed.gateway ?? 'mqtt://127.0.0.1:1883',
      overrides,
      speed: parsed.speed ?? 'max',
      truthFile: parsed.truth,
      dryRun,
      idPrefix: parsed['id-prefix'],
      maxInFlight: parsed['max-in-flight'] ?? 16,
      customerReports: parsed['customer-reports'],
      quiet: parsed.quiet ?? false,
      help,
      listScenarios: list,
    },
  };
}
