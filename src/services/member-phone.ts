import type { BindPhoneRequest } from '../../shared/api/members';

/**
 * The platform's consent to share the member's phone, as the server wants it
 * (#17): WeChat's `getPhoneNumber` button gives a one-time code; Alipay's
 * `my.getPhoneNumber` gives a signed, encrypted answer, sent unchanged. The
 * phone itself never passes through the page. On H5 the payment sandbox
 * plays WeChat; that module is compiled into the H5 build only.
 */

// Decided outside any async function, as in login-code.ts, so the mini-program builds never reach the sandbox.
const sandboxPhone: (() => Promise<string>) | null =
  process.env.TARO_ENV === 'h5' && process.env.TARO_APP_SANDBOX !== '' ? () => import('./sandbox.h5').then((m) => m.sandboxPhoneCode()) : null;

/** WeChat's quota of paid phone checks is used up (e.detail.errno). */
const wechat_phone_quota_errno = 1400001;

export class PhoneConsentRefused extends Error {}

/** From the WeChat button's event: its code, or why there is none. */
export function wechatConsent(detail: { code?: string; errno?: number; errMsg?: string }): BindPhoneRequest {
  if (detail.code) return { platform: 'wechat', code: detail.code };
  if (detail.errno === wechat_phone_quota_errno) throw new PhoneConsentRefused('本店今日手机号授权次数已用完，请到柜台登记');
  throw new PhoneConsentRefused('没有授权手机号');
}

/** Alipay: after the getAuthorize button, ask for the encrypted answer. */
export async function alipayConsent(): Promise<BindPhoneRequest> {
  const my = (globalThis as unknown as { my?: { getPhoneNumber(o: { success(res: { response: string }): void; fail(e: unknown): void }): void } }).my;
  if (!my) throw new PhoneConsentRefused('当前环境不能获取手机号');
  const response = await new Promise<string>((resolve, reject) => my.getPhoneNumber({ success: (res) => resolve(res.response), fail: () => reject(new PhoneConsentRefused('没有授权手机号')) }));
  return { platform: 'alipay', response };
}

/** H5 with the sandbox: the sandbox's WeChat code for the tester's phone. */
export async function sandboxConsent(): Promise<BindPhoneRequest> {
  if (!sandboxPhone) throw new PhoneConsentRefused('当前环境不能获取手机号');
  return { platform: 'wechat', code: await sandboxPhone() };
}

export const phoneButtonKind: 'wechat' | 'alipay' | 'h5' = process.env.TARO_ENV === 'alipay' ? 'alipay' : process.env.TARO_ENV === 'h5' ? 'h5' : 'wechat';

