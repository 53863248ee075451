import Taro from '@tarojs/taro';
import type { PaymentView } from '../../shared/api/payments';
import { call } from './shop-api';
import { ensureShopper } from './auth';
import { getSession, saveSession } from './session';
import { outcomeOfRequestPaymentError, outcomeOfTradePay, type PayOutcome } from './shop-checkout';
import type { ShopperSession } from '../../shared/api/identity';

export type ShopChannel = 'wechat' | 'alipay';
type Jsapi = NonNullable<PaymentView['jsapi']>;

// Decided outside any async function, with the condition written out in each ternary: webpack prunes the
// sandbox from the mini-program builds only when it can evaluate the condition right there (see login-code.ts).
const sandboxPay: ((jsapi: Jsapi) => Promise<void>) | null = process.env.TARO_ENV === 'h5' && process.env.TARO_APP_SANDBOX !== '' ? (jsapi) => import('./sandbox.h5').then((m) => m.sandboxPayJsapi(jsapi)) : null;
const sandboxShopperCode: ((platform: ShopChannel) => Promise<string>) | null =
  process.env.TARO_ENV === 'h5' && process.env.TARO_APP_SANDBOX !== ''
    ? (platform) => import('./sandbox.h5').then((m) => m.sandboxShopperCode(platform))
    : null;

/** The channels this build can pay with: the platform it runs in; H5 with the sandbox offers both. */
export function shopChannels(): ShopChannel[] {
  if (process.env.TARO_ENV === 'weapp') return ['wechat'];
  if (process.env.TARO_ENV === 'alipay') return ['alipay'];
  return sandboxPay ? ['wechat', 'alipay'] : [];
}

const platform_key = 'guitai.shopper.platform';

/**
 * The shopper's session on the platform that will pay. In the mini-programs
 * that is the platform itself; the H5 sandbox build signs in again as a
 * WeChat or an Alipay user when the shopper picks the other one.
 */
export async function shopperFor(channel: ShopChannel, storeCode: string): Promise<ShopperSession | null> {
  if (!sandboxShopperCode) return ensureShopper(storeCode);
  const current = getSession('shopper');
  let platform: unknown;
  try {
    platform = Taro.getStorageSync(platform_key) || 'wechat';
  } catch {
    platform = 'wechat';
  }
  if (current && current.store.code === storeCode && platform === channel) return current;
  const code = await sandboxShopperCode(channel);
  const session = await call('shopperLogin', { body: { platform: channel, code, storeCode } });
  saveSession('shopper', session);
  Taro.setStorageSync(platform_key, channel);
  return session;
}

/** Opens the platform's payment sheet for the server's parameters and says what the shopper did there. */
export async function payOnPlatform(jsapi: Jsapi): Promise<PayOutcome> {
  if (sandboxPay) {
    await sandboxPay(jsapi);
    return 'unknown';
  }
  if (jsapi.channel === 'alipay') {
    if (process.env.TARO_ENV !== 'alipay') return 'failed';
    try {
      const res = (await Taro.tradePay({ tradeNO: jsapi.tradeNO })) as unknown as { resultCode?: string | number; response?: { resultCode?: string | number } };
      return outcomeOfTradePay(res.resultCode ?? res.response?.resultCode);
    } catch (e) {
      const r = e as { resultCode?: string | number; error?: number };
      // A sheet that failed to open may still have a trade behind it: the server is asked either way.
      return r.resultCode !== undefined ? outcomeOfTradePay(r.resultCode) : 'unknown';
    }
  }
  if (process.env.TARO_ENV !== 'weapp') return 'failed';
  try {
    await Taro.requestPayment({ timeStamp: jsapi.timeStamp, nonceStr: jsapi.nonceStr, package: jsapi.package, signType: jsapi.signType, paySign: jsapi.paySign });
    return 'paid';
  } catch (e) {
    return outcomeOfRequestPaymentError((e as { errMsg?: string }).errMsg);
  }
}
