/** Upload attempts per payment before the owner is alerted and the job stops trying. */
export const shipping_upload_attempts_max = 6;
/** The wait after the first failed attempt; each later one doubles it (1, 2, 4, 8, 16 minutes). */
export const shipping_retry_backoff_ms_base = 60_000;
/** Payments one scheduled run uploads, so the run stays inside a function's time limit. */
export const shipping_job_batch_max = 50;
/** How far back the job looks for paid payments: WeChat wants shipping within 48 hours, far less than this. */
export const shipping_lookback_days = 15;
/** A call to api.weixin.qq.com gives up after this and counts as a network error. */
export const wechat_api_timeout_ms = 5_000;
/** The cached access token is renewed this long before WeChat says it expires. */
export const wechat_token_refresh_margin_s = 300;
/** WeChat's limit on `shipping_list[].item_desc`, in characters. */
export const item_desc_chars_max = 120;
/** How long one worker holds a payment while it uploads, so the settle path and the job do not both call. */
export const shipping_claim_ttl_s = 30;
/** A push body larger than this is refused before it is read. */
export const wechat_push_body_bytes_max = 16 * 1024;
/** A push whose timestamp is further than this from our clock is refused as a replay. */
export const wechat_push_clock_skew_s_max = 5 * 60;
