import { alipaySandboxSellerId } from './alipay-pay-trades';
import { sandboxAlipayAesKey, type SandboxKeys } from './keys';

/**
 * The environment a dev server or a test gives the API so that it logs in
 * against the sandbox: exactly the variables `api/_platform/config.ts` and
 * `api/_payments/alipay/config.ts` read.
 */
export function sandboxEnv(keys: SandboxKeys, sandboxUrl: string): Record<string, string> {
  const base = sandboxUrl.replace(/\/+$/, '');
  return {
    WECHAT_API_BASE: base,
    WECHAT_APPID: keys.wechat.appId,
    WECHAT_APP_SECRET: keys.wechat.appSecret,
    WECHATPAY_API_BASE: base,
    WECHATPAY_MCHID: keys.wechat.mchId,
    WECHATPAY_MERCHANT_PRIVATE_KEY: keys.wechat.merchantPrivateKey,
    WECHATPAY_MERCHANT_SERIAL: keys.wechat.merchantCertificateSerial,
    WECHATPAY_APIV3_KEY: keys.wechat.apiV3Key,
    WECHATPAY_PLATFORM_PUBLIC_KEY: keys.wechat.platformPublicKey,
    WECHATPAY_PLATFORM_PUBLIC_KEY_ID: keys.wechat.platformPublicKeyId,
    ALIPAY_GATEWAY: `${base}/gateway.do`,
    ALIPAY_APPID: keys.alipay.appId,
    ALIPAY_APP_PRIVATE_KEY: keys.alipay.appPrivateKey,
    ALIPAY_PUBLIC_KEY: keys.alipay.alipayPublicKey,
    // my.getPhoneNumber's answer is decrypted with the app's AES content key (#17).
    ALIPAY_AES_KEY: sandboxAlipayAesKey(keys),
    ALIPAY_SELLER_ID: alipaySandboxSellerId(keys.alipay.appId),
    // Read only with ALIPAY_MODE=isv: the sandbox's page where a sandbox merchant authorises the app.
    ALIPAY_APP_AUTH_URL: `${base}/sandbox/alipay/app-auth`,
  };
}
