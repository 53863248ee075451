/** Templates a merchant may issue at once; more would bury the shopper's 领券中心 and the counter's list. */
export const coupon_templates_active_max = 50;
/** Templates the owner's list shows, newest first. */
export const coupon_templates_list_max = 200;
/** A member's coupons the member centre lists, newest first. */
export const member_coupons_list_max = 200;
/**
 * How long before a coupon expires its member is reminded (优惠券即将到期):
 * a day is time to come in, and short enough that the reminder is news.
 */
export const coupon_expiring_notice_hours = 24;
/**
 * Coupons one reminder sweep tells, per merchant and run: the sweep runs in
 * the two-minute payments job with its 25 s budget, so a run's work stays
 * small and the next run takes the rest.
 */
export const coupon_expiring_notice_batch_max = 200;
