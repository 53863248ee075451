/**
 * The reconcile module's face: what other modules may use of it. Nothing
 * outside this folder imports a file inside it (tests/architecture/walls.test.ts).
 */
export { bill_channels, reconcileDay, reconcileMerchantDay, reconcileTargets, reconcileYesterday, type MerchantDayResult } from './cron.js';
