/**
 * The ledger module's face: what other modules may use of it. Nothing
 * outside this folder imports a file inside it (tests/architecture/walls.test.ts).
 */
export type { AccountCode } from './accounts.js';
export { ensureChartOfAccounts } from './accounts.js';
export { postEntry } from './journal.repository.js';
export type { PostLine } from './journal.repository.js';
