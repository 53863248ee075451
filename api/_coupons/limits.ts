/** Templates a merchant may issue at once; more would bury the shopper's 领券中心 and the counter's list. */
export const coupon_templates_active_max = 50;
/** Templates the owner's list shows, newest first. */
export const coupon_templates_list_max = 200;
/** A member's coupons the member centre lists, newest first. */
export const member_coupons_list_max = 200;
