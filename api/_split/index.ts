/**
 * The split module's face: what other modules may use of it. Nothing
 * outside this folder imports a file inside it (tests/architecture/walls.test.ts).
 */
export { returnSplitBeforeRefund, royaltyReturnsFor } from './refund-hook.js';
export { splitsPaymentsOn } from './rules.service.js';
export { runSplitJobs } from './split.service.js';
export type { SplitJobResult } from './split.service.js';
