/** Alipay's default cap on what may be split away from one trade (商家分账: 30 % unless the merchant applies for more). */
export const alipay_split_cap_bp = 3000;
/** Alipay user ids (`userId` receivers): 2088 and 12 digits. */
export const alipay_user_id_pattern = /^2088\d{12}$/;
