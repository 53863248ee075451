/**
 * The onboarding module's face: opening a shop and its first-run checklist.
 * It joins identity (who owns the shop) and the ledger (its books) in one
 * transaction, which neither of them may do alone without a cycle.
 */
export { signUp } from './sign-up.service.js';
