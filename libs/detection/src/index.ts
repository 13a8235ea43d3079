// Public entry of #detection. The pure detector core (no Nest, no I/O, event time only).
export * from './core/index.js';
