/**
 * The coupons module's face (优惠券, #17): what other modules may use of it.
 * Nothing outside this folder imports a file inside it (tests/architecture/walls.test.ts).
 */
export { issueCoupon, issueLevelUpCoupons, issueSignUpCoupons, type CouponSource, type IssueCouponInput } from './issue.service.js';
export { couponsForOrder, releaseCouponsOfOrder, useCoupons, type CouponsForOrder } from './redeem.service.js';
export { giveBackCoupons } from './give-back.js';
export { moveCouponsToMember } from './move.js';
export { activeTemplateExists } from './templates.service.js';
export { noticeExpiringCoupons } from './expiry-notice.js';
