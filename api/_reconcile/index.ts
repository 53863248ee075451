/**
 * The reconcile module's face: what other modules may use of it. Nothing
 * outside this folder imports a file inside it (tests/architecture/walls.test.ts).
 */
export { reconcileYesterday } from './cron.js';
