/** Send credits one member may hold for one template: WeChat gives one per accept, and a member tapping 允许 fifty times has said enough. Also a check in the table. */
export const consent_credits_max = 50;
/** Calls to a platform's send API for one message before it is given up as failed. */
export const message_send_attempts_max = 5;
/** The wait after the first temporary failure; each later one doubles it (30 s, 1, 2, 4 minutes). */
export const message_retry_backoff_ms_base = 30_000;
/** How long one sender holds a message it is sending; a sender that dies leaves it to the next after this. */
export const message_lease_ms = 60_000;
/** Messages one run of the sender sends, so a run stays inside a function's time limit. */
export const message_send_batch_max = 50;
/** A call to WeChat or Alipay gives up after this and counts as a temporary failure. */
export const message_platform_timeout_ms = 5_000;
/** Characters of a platform's error kept with an attempt. */
export const message_error_chars_max = 300;
/** Recent messages the member's 消息订阅 page lists. */
export const member_recent_messages_max = 20;
/** The owner's counts cover this many days. */
export const message_counts_days = 30;
