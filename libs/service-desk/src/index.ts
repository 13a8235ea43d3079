/** Public entry of the service desk (`#service-desk`). The Nest module, storage and API build on the domain. */
export * from './domain/index.js';
