import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  customType,
  date,
  doublePrecision,
  index,
  integer,
  pgTable,
  pgView,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
});

const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const customers = pgTable('customers', {
  id: uuid('id')
    .primaryKey()
    .default(sql`gen_random_uuid()`),
  name: text('name').notNull(),
  email: text('email'),
  phone: text('phone'),
  region: text('region'),
  createdAt: tstz('created_at').notNull().defaultNow(),
});

export const assets = pgTable(
  'assets',
  {
    id: uuid('id')
      .primaryKey()
      .default(sql`gen_random_uuid()`),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'restrict' }),
    name: text('name').notNull(),
    kind: text('kind').notNull(),
    lat: doublePrecision('lat'),
    lon: doublePrecision('lon'),
    region: text('region'),
    coatingSystem: text('coating_system'),
    nominalDftUm: doublePrecision('nominal_dft_um').notNull(),
    corrosivityCategory: text('corrosivity_category').notNull(),
    durability: text('durability').notNull(),
    installedAt: date('installed_at', { mode: 'string' }).notNull(),
    warrantyUntil: date('warranty_until', { mode: 'string' }),
    createdAt: tstz('created_at').notNull().defaultNow(),
  },
  (t) => [index('assets_customer_idx').on(t.customerId)],
);

export const devices = pgTable(
  'devices',
  {
    id: text('id').primaryKey(),
    assetId: uuid('asset_id')
      .notNull()
      .references(() => assets.id, { onDelete: 'restrict' }),
    name: text('name'),
    kind: text('kind').notNull(),
    samplingIntervalS: integer('sampling_interval_s').notNull().default(3600),
    tokenDigest: bytea('token_digest').notNull(),
    enabled: boolean('enabled').notNull().default(true),
    online: boolean('online').notNull().default(false),
    lastSeenAt: tstz('last_seen_at'),
    lastConnectedAt: tstz('last_connected_at'),
    tokenRotatedAt: tstz('token_rotated_at'),
    createdAt: tstz('created_at').notNull().defaultNow(),
  },
  (t) => [index('devices_asset_idx').on(t.assetId)],
);

export const technicians = pgTable('technicians', {
  id: uuid('id')
    .primaryKey()
    .default(sql`gen_random_uuid()`),
  name: text('name').notNull(),
  level: text('level').notNull(),
  skills: text('skills')
    .array()
    .notNull()
    .default(sql`'{}'::text[]`),
  region: text('region'),
  baseLat: doublePrecision('base_lat'),
  baseLon: doublePrecision('base_lon'),
  available: boolean('available').notNull().default(true),
  createdAt: tstz('created_at').notNull().defaultNow(),
});

export const apiTokens = pgTable('api_tokens', {
  id: uuid('id')
    .primaryKey()
    .default(sql`gen_random_uuid()`),
  role: text('role').notNull(),
  name: text('name'),
  technicianId: uuid('technician_id').references(() => technicians.id, { onDelete: 'cascade' }),
  customerId: uuid('customer_id').references(() => customers.id, { onDelete: 'cascade' }),
  digest: bytea('digest').notNull().unique(),
  createdAt: tstz('created_at').notNull().defaultNow(),
  revokedAt: tstz('revoked_at'),
});

/**
 * Telemetry in the SQL store, narrow on purpose: one small row per value, keyed by an integer stream id
 * (device, metric) and the event time. Half the insert cost and a third of the index size of a
 * (device_id text, metric text, ts) key, which matters on the ingest hot path and for a year of data.
 */
export const telemetryStreams = pgTable(
  'telemetry_streams',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    deviceId: text('device_id').notNull(),
    metric: text('metric').notNull(),
    createdAt: tstz('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('telemetry_streams_device_metric_uq').on(t.deviceId, t.metric)],
);

/**
 * The primary key (stream, ts) is what makes a QoS1 redelivery store nothing twice
 * (INSERT ... ON CONFLICT DO NOTHING).
 */
export const telemetryPoints = pgTable(
  'telemetry_points',
  {
    streamId: integer('stream_id').notNull(),
    ts: tstz('ts').notNull(),
    value: doublePrecision('value').notNull(),
  },
  (t) => [primaryKey({ columns: [t.streamId, t.ts] })],
);

/** The readings as people expect them (device, metric, ts, value), for ad-hoc SQL and reporting tools. */
export const readings = pgView('readings', {
  deviceId: text('device_id').notNull(),
  metric: text('metric').notNull(),
  ts: tstz('ts').notNull(),
  value: doublePrecision('value').notNull(),
}).as(
  sql`select s.device_id, s.metric, p.ts, p.value from telemetry_points p join telemetry_streams s on s.id = p.stream_id`,
);

/** Payloads (or single readings) the gateway refused, kept raw for inspection and replay. */
export const deadLetters = pgTable(
  'dead_letters',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    deviceId: text('device_id').notNull(),
    topic: text('topic').notNull(),
    payload: bytea('payload').notNull(),
    reason: text('reason').notNull(),
    field: text('field').notNull(),
    message: text('message').notNull(),
    receivedAt: tstz('received_at').notNull(),
  },
  (t) => [index('dead_letters_device_idx').on(t.deviceId, t.receivedAt)],
);

/** Small key/value store for installation-wide settings (e.g. whether the admin token was bootstrapped). */
export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: tstz('updated_at').notNull().defaultNow(),
});
