/**
 * Limits of the pricing input, shared by the client schema and the engine so
 * the mini-program refuses what the server would refuse.
 */
export const order_lines_max = 200;
export const line_quantity_max = 99_999;
export const sku_id_length_max = 64;
export const rule_id_length_max = 64;
/** A percentage discount may take at most the whole amount. */
export const discount_bp_max = 10_000;
export const discount_reason_length_max = 64;
export const bundle_rules_max = 50;
export const bundle_items_max = 10;
export const threshold_rules_max = 50;
export const discount_rules_max = 50;
/** A 限时折扣 takes at most 90% off (一折); more is giving goods away, which is a price change, not a promotion. */
export const promotion_discount_bp_max = 9_000;
/** SKU and category ids in one threshold rule's scope, each list. */
export const threshold_scope_ids_max = 500;
/** A member level may take at most half off; more is a price, not a level, and belongs in member prices. */
export const level_discount_bp_max = 5_000;
export const level_name_length_max = 20;
/** Coupons one order may carry as the engine checks it; the API allows fewer (coupons_per_order_max). */
export const coupon_rules_max = 10;
/** SKU and category ids in one coupon's scope, each list. */
export const coupon_scope_ids_max = 500;
/** Coupons one order may use through the API: one, the rule most shops run and customers expect. */
export const coupons_per_order_max = 1;
