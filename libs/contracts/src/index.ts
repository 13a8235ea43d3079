export * from './metric-catalog.js';
export * from './topics.js';
export * from './telemetry.js';
export * from './fleet.js';
export * from './auth.js';
export * from './domain-events.js';
export * from './transport.js';
export * from './ports.js';
