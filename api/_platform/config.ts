import type { AlipayLoginOptions } from './alipay-login.js';
import { privateKeyPem, publicKeyPem } from './pem.js';
import type { WechatLoginOptions } from './wechat-login.js';
import type { AlipayPhoneOptions } from './alipay-phone.js';

/**
 * Platform settings from the environment. Each platform is read on its own,
 * so a deployment that serves only one of them needs only its variables.
 * A missing or malformed variable is a deployment mistake and throws a plain
 * Error naming it.
 */

export const default_wechat_api_base = 'https://api.weixin.qq.com';
export const default_alipay_gateway = 'https://openapi.alipay.com/gateway.do';

type Env = Record<string, string | undefined>;

function required(env: Env, name: string): string {
  const value = env[name]?.trim();
  if (!value) throw new Error(`Environment variable ${name} is not set.`);
  return value;
}

function url(env: Env, name: string, fallback: string): string {
  const value = env[name]?.trim() || fallback;
  try {
    return new URL(value).href.replace(/\/+$/, '');
  } catch {
    throw new Error(`Environment variable ${name} is not a URL.`);
  }
}

function key(env: Env, name: string, parse: (value: string) => string): string {
  try {
    return parse(required(env, name));
  } catch (e) {
    if (e instanceof Error && e.message.startsWith('Environment variable')) throw e;
    throw new Error(`Environment variable ${name} does not hold a usable RSA key (PEM or base64).`, { cause: e });
  }
}

export function readWechatConfig(env: Env = process.env): Omit<WechatLoginOptions, 'fetch'> {
  return {
    apiBase: url(env, 'WECHAT_API_BASE', default_wechat_api_base),
    appId: required(env, 'WECHAT_APPID'),
    appSecret: required(env, 'WECHAT_APP_SECRET'),
  };
}

export function readAlipayConfig(env: Env = process.env): AlipayLoginOptions {
  return {
    gateway: url(env, 'ALIPAY_GATEWAY', default_alipay_gateway),
    appId: required(env, 'ALIPAY_APPID'),
    appPrivateKey: key(env, 'ALIPAY_APP_PRIVATE_KEY', privateKeyPem),
    alipayPublicKey: key(env, 'ALIPAY_PUBLIC_KEY', publicKeyPem),
  };
}

/**
 * What decrypting Alipay's phone answer needs (#17): the Alipay public key
 * the login already reads, and the app's AES content key (ALIPAY_AES_KEY,
 * Base64, as the console shows it).
 */
export function readAlipayPhoneConfig(env: Env = process.env): AlipayPhoneOptions {
  return {
    alipayPublicKey: key(env, 'ALIPAY_PUBLIC_KEY', publicKeyPem),
    aesKey: required(env, 'ALIPAY_AES_KEY'),
  };
}
