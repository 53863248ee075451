/** A day's bill of a busy shop is a few MB; 1,000,000 WeChat lines are about 300 MB, so uploads stop well before that is buffered anywhere. */
export const reconcile_bill_bytes_max = 512 * 1024 * 1024;
/**
 * The most an Alipay bill's zip may inflate to. A million-line detail file is
 * about 400 MB of GBK text; a zip that claims more is refused before it is
 * read further, so a small upload cannot make the function inflate gigabytes.
 */
export const alipay_bill_inflated_bytes_max = 1024 * 1024 * 1024;
/** The longest line an Alipay detail file may hold (its real lines are a few hundred characters); a file without line breaks is refused instead of held whole. */
export const alipay_bill_line_chars_max = 8192;
/** Bill lines written per INSERT … SELECT FROM unnest(…): one round trip per batch, 10 array parameters. */
export const reconcile_stage_batch_lines = 5000;
/** COPY text sent to the database per write: large enough to cost few round trips through the driver, small beside the bill. */
export const reconcile_copy_chunk_bytes = 256 * 1024;
/** A difference up to this (0.05 yuan) is adjusted automatically (自动调账) unless the merchant sets otherwise. */
export const reconcile_tolerance_fen_default = 5;
/** 0.6%: the standard rate of both platforms for ordinary merchants. */
export const reconcile_fee_rate_ppm_default = 6000;
/** Fees are rounded per line by the platform; a difference of up to this is rounding, not a fee difference. */
export const reconcile_fee_rounding_fen = 1;
/** A payment settled here this close before midnight that is not on the bill is taken to be on the next day's bill. */
export const reconcile_midnight_window_minutes = 10;
/** A run still marked running after this long died with its process; the next run takes over. */
export const reconcile_run_stale_minutes = 30;
/** The fewest bill lines a page of matched records reads at a time (it reads twice the page, and wider while differences leave it short). */
export const reconcile_matched_window_lines_min = 100;
/** Items listed per request. */
export const reconcile_items_page_max = 200;
/** Repair records written per INSERT (4 parameters each). */
export const reconcile_repairs_batch = 2000;
/** A day's bills are fetched from this hour (Beijing) of the next day: WeChat generates from 09:00 and says to fetch after 10:00; Alipay's is ready by 09:00. */
export const reconcile_bill_ready_hour = 10;
/** Postgres work_mem for the classifying statements: a day of a million payments hashes in memory instead of in temp files. */
export const reconcile_work_mem_mb = 128;
