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
