/**
 * The coupon the shopper chose for the cart's order, handed from the member
 * sub-package's chooser to the cart (main package) through storage, as
 * `{storeId, id, name, rule}` JSON; empty for none. Kept to a constant so the
 * main package carries nothing of the chooser.
 */
export const picked_coupon_key = 'guitai:picked-coupon';
