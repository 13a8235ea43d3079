import path from 'node:path';
import { z } from 'zod';

const port = (name: string, fallback: number) =>
  z
    .string()
    .default(String(fallback))
    .transform((v, ctx) => {
      const n = Number(v);
      if (!/^\d+$/.test(v.trim()) || n > 65535) {
        ctx.addIssue({ code: 'custom', message: `${name} must be a TCP port number 0-65535 (0 = any free port)` });
        return z.NEVER;
      }
      return n;
    });

const int = (name: string, fallback: number, min: number, max: number) =>
  z
    .string()
    .default(String(fallback))
    .transform((v, ctx) => {
      const n = Number(v);
      if (!/^-?\d+$/.test(v.trim()) || n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `${name} must be an integer from ${min} to ${max}` });
        return z.NEVER;
      }
      return n;
    });

const bool = (name: string, fallback: boolean) =>
  z
    .string()
    .default(String(fallback))
    .transform((v, ctx) => {
      const t = v.trim().toLowerCase();
      if (t === 'true' || t === '1' || t === 'on') return true;
      if (t === 'false' || t === '0' || t === 'off') return false;
      ctx.addIssue({ code: 'custom', message: `${name} must be true or false (also accepted: 1 / 0, on / off)` });
      return z.NEVER;
    });

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Every setting of the gateway, read from the environment and validated once at start. */
export const GatewayEnvSchema = z.object({
  MQTT_PORT: port('MQTT_PORT', 1883),
  MQTT_WS_PORT: z
    .string()
    .default('8083')
    .transform((v, ctx) => {
      if (v === 'off') return null;
      const n = Number(v);
      if (!/^\d+$/.test(v.trim()) || n > 65535) {
        ctx.addIssue({ code: 'custom', message: 'MQTT_WS_PORT must be a TCP port number 0-65535, or "off"' });
        return z.NEVER;
      }
      return n;
    }),
  HTTP_PORT: port('HTTP_PORT', 3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .optional()
    .transform((v) => (v === '' ? undefined : v))
    .refine((v) => v === undefined || /^postgres(ql)?:\/\/.+/.test(v), {
      message: 'DATABASE_URL must be a postgres:// or postgresql:// URL (leave it unset for the embedded database)',
    }),
  ADMIN_TOKEN: z
    .string()
    .optional()
    .transform((v) => (v === '' ? undefined : v))
    .refine((v) => v === undefined || (v.length >= 16 && !/\s/.test(v)), {
      message: 'ADMIN_TOKEN must be at least 16 characters without spaces',
    }),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  MQTT_MAX_PACKET_BYTES: int('MQTT_MAX_PACKET_BYTES', 1024 * 1024, 1024, 256 * 1024 * 1024),
  INGEST_BATCH_MAX_ROWS: int('INGEST_BATCH_MAX_ROWS', 5000, 1, 100_000),
  INGEST_BATCH_MAX_WAIT_MS: int('INGEST_BATCH_MAX_WAIT_MS', 5, 0, 10_000),
  DEVICE_AUTH_CACHE_TTL_MS: int('DEVICE_AUTH_CACHE_TTL_MS', 300_000, 0, 86_400_000),
  SHUTDOWN_TIMEOUT_MS: int('SHUTDOWN_TIMEOUT_MS', 10_000, 0, 600_000),
  // Off: readings are stored and the alert API answers, but nothing is judged live (benchmarks, a replica
  // that only ingests).
  DETECTION_ENABLED: bool('DETECTION_ENABLED', true),
});

export interface GatewayConfig {
  readonly mqttPort: number;
  readonly mqttWsPort: number | null;
  readonly httpPort: number;
  readonly host: string;
  readonly dataDir: string;
  readonly databaseUrl: string | undefined;
  readonly adminToken: string | undefined;
  readonly logLevel: (typeof LOG_LEVELS)[number];
  readonly maxPacketBytes: number;
  readonly batchMaxRows: number;
  readonly batchMaxWaitMs: number;
  readonly authCacheTtlMs: number;
  readonly shutdownTimeoutMs: number;
  readonly detectionEnabled: boolean;
}

/** A bad setting: its message is one line naming the variable, printed as is before exiting. */
export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv): GatewayConfig {
  const parsed = GatewayEnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? 'environment');
      const value = env[name];
      return `Invalid setting ${name}${value === undefined ? '' : `=${JSON.stringify(value)}`}: ${issue.message}`;
    });
    throw new ConfigError(lines.join('\n'));
  }
  const e = parsed.data;
  return {
    mqttPort: e.MQTT_PORT,
    mqttWsPort: e.MQTT_WS_PORT,
    httpPort: e.HTTP_PORT,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    adminToken: e.ADMIN_TOKEN,
    logLevel: e.LOG_LEVEL,
    maxPacketBytes: e.MQTT_MAX_PACKET_BYTES,
    batchMaxRows: e.INGEST_BATCH_MAX_ROWS,
    batchMaxWaitMs: e.INGEST_BATCH_MAX_WAIT_MS,
    authCacheTtlMs: e.DEVICE_AUTH_CACHE_TTL_MS,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    detectionEnabled: e.DETECTION_ENABLED,
  };
}
