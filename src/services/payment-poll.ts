/**
 * How often a waiting screen asks the server about a payment; the server asks
 * the platform at most as often. It lives alone so the shop's order page can
 * share it with the counter without carrying the counter's payment code.
 */
export const payment_poll_interval_ms = 2_000;
