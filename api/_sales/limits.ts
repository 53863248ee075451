/** How long an unpaid order holds its stock before the scheduled job cancels it. */
export const open_order_hold_ms = 15 * 60_000;
