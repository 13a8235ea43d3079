export * from './bootstrap.js';
export * from './config.js';
export * from './logger.js';
