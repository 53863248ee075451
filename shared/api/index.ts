export * from './common';
export * from './health';
export * from './identity';
export * from './catalog';
export * from './reports';
export * from './ledger';
export * from './routes';
