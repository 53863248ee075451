/**
 * The referral module's face (老带新): what other modules may use of it. Nothing
 * outside this folder imports a file inside it (tests/architecture/walls.test.ts).
 */
export { rewardReferralOnPaidOrder } from './reward.service.js';
export type { PaidOrderOfMember } from './reward.service.js';
export { moveReferralsToMember } from './member-merge.js';
