/**
 * Limits shared by client and server, so the client can refuse early. They
 * live apart from the schemas that use them so that a page needing only a
 * number (the mini-program's main package) does not load zod to get it.
 */
export const page_size_max = 100;
export const page_size_default = 40;
export const search_query_length_max = 64;
export const name_length_max = 64;
/** Login codes from wx.login / my.getAuthCode are opaque; this bounds them. */
export const login_code_length_max = 128;
export const invite_code_length = 8;
/** How long an invitation stays open, as the owner picks it: a day to a month; a week unless they say. */
export const invite_valid_days_max = 30;
export const invite_valid_days_default = 7;
/** A shop's name as it appears on receipts and the boss home (the database allows 64; receipts fit 32). */
export const shop_name_length_max = 32;
export const store_name_length_max = 32;
export const store_address_length_max = 120;
export const business_hours_length_max = 40;
/** A store's line under its name on the receipt: one printed line or two on a 58 mm printer. */
export const store_receipt_header_length_max = 40;
/** A store's closing words on the receipt, line breaks allowed. */
export const store_receipt_footer_length_max = 120;
/** A client-made id for one sign-up attempt: long enough to be unguessable, short enough to index. */
export const sign_up_id_length_min = 16;
export const sign_up_id_length_max = 64;
