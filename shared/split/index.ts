export * from './allocate.js';
export * from './csv.js';
