import { z } from 'zod';

/**
 * The merchant's payment identities on each platform (#18), as the owner
 * sees and sets them in 收款设置: in a service provider's deployment the
 * WeChat Pay sub-merchant number (特约商户号) and the Alipay authorisation;
 * in a single shop's deployment the shop's own keys (direct). A channel
 * without an active identity takes no platform payments (cash, card and 赊账
 * still work), and `reason` says why in words for the owner.
 */

export const sub_mchid_pattern = /^[0-9]{8,12}$/;
export const sub_appid_pattern = /^wx[0-9a-f]{16}$/;

const status = z.enum(['pending', 'active', 'revoked']);

export const wechatPaymentAccount = z.object({
  mode: z.enum(['direct', 'partner']).nullable(),
  status: status.nullable(),
  subMchid: z.string().nullable(),
  subAppid: z.string().nullable(),
  takesPayments: z.boolean(),
  reason: z.string().nullable(),
});

export const alipayPaymentAccount = z.object({
  mode: z.enum(['direct', 'isv']).nullable(),
  status: status.nullable(),
  /** The authorising merchant's PID (seller_id) and app, once authorised. */
  sellerId: z.string().nullable(),
  authAppId: z.string().nullable(),
  takesPayments: z.boolean(),
  reason: z.string().nullable(),
});

export const paymentAccountsResponse = z.object({
  deployment: z.object({ wechatMode: z.enum(['direct', 'partner']), wechatConfigured: z.boolean(), alipayConfigured: z.boolean() }),
  wechat: wechatPaymentAccount,
  alipay: alipayPaymentAccount,
});
export type PaymentAccountsResponse = z.infer<typeof paymentAccountsResponse>;

export const wechatSubMerchantRequest = z.strictObject({
  subMchid: z.string().trim().regex(sub_mchid_pattern, '特约商户号（subMchid）须为 8–12 位数字'),
  /** The merchant's own mini-program, only when payers pay inside it rather than in the provider's. */
  subAppid: z.string().trim().regex(sub_appid_pattern, '子商户小程序 AppID（subAppid）须为 wx 开头的 18 位').nullable().optional(),
});
export type WechatSubMerchantRequest = z.infer<typeof wechatSubMerchantRequest>;
