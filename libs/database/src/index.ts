export * as tables from './schema.js';
export * from './connection.js';
export * from './database.module.js';
