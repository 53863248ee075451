/** How long an unpaid order holds its stock before the scheduled job cancels it. */
export const open_order_hold_ms = 15 * 60_000;

/**
 * An offline sale is accepted up to three days after it was billed: the
 * outbox syncs within minutes of the network coming back, and a device off
 * the network for longer has lost track of prices and stock anyway.
 */
export const offline_billed_at_age_max_ms = 72 * 60 * 60_000;
/** A device clock a little ahead of the server's is tolerated; a sale billed further in the future is not. */
export const offline_billed_at_skew_max_ms = 2 * 60_000;
