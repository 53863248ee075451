/** How long the counter waits on a payment code the customer is still confirming (USERPAYING) before reversing it. */
export const code_payment_wait_ms_max = 45_000;
/** The least time between two platform queries for one payment, however often a client polls. */
export const payment_query_interval_ms_min = 2_000;
/** A payment with no notification after this long is queried by the scheduled job. */
export const payment_query_after_ms = 2 * 60_000;
/** A QR or mini-program trade that is still unpaid this long after it expired is closed at the platform. */
export const payment_close_grace_ms = 60_000;
/** Payment attempts on one order; each is a separate out_trade_no. */
export const order_payment_attempts_max = 20;
/** Rows one scheduled run handles, so a run stays inside a function's time limit. */
export const payment_job_batch_max = 100;
/** A notification body larger than this is refused before it is read. */
export const notify_body_bytes_max = 16 * 1024;
/**
 * Refused notifications (bad signature, stale, malformed, too large) per
 * channel per sending address. Only refusals count: a platform's genuine
 * notifications are never turned away, however many a busy deployment gets,
 * while a source that keeps sending forgeries is shut out for the rest of the
 * minute before its bodies are verified or logged. The platforms send again
 * after a refusal, so a genuine notification caught in a block is not lost.
 */
export const refused_notifications_per_minute_max = 600;
/**
 * Of a refused notification (bad signature, malformed, too large) only this
 * many first bytes are kept, beside a hash of the whole body: enough to see
 * what was sent without storing whatever a stranger posted.
 */
export const rejected_notify_body_bytes_kept = 256;
/** Raw notification bodies (which carry buyer ids) are dropped this many days after they arrived. */
export const payment_notifications_retention_days = 180;
/** Rows one retention statement clears, and statements one run makes, so a run stays inside a function's time limit. */
export const payment_notifications_retention_batch_rows = 5_000;
export const payment_notifications_retention_batches_max = 20;
/** A payment code (付款码) is 16–24 digits. */
export const auth_code_length_min = 16;
export const auth_code_length_max = 24;
/** Refund attempts before a refund is left for a manager. */
export const refund_attempts_max = 5;
