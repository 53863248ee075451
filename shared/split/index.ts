export * from './allocate';
export * from './csv';
