import { createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { serialKey, type PlatformKeys } from './notification.js';

/**
 * WeChat Pay v3 settings from the environment. Keys are parsed once here
 * into KeyObjects: signing with a PEM string re-parses it on every call.
 * A missing or malformed variable is a deployment mistake and throws a plain
 * Error naming it, as `api/_platform/config.ts` does.
 */

export const default_wechatpay_api_base = 'https://api.mch.weixin.qq.com';
export const wechatpay_apiv3_key_bytes = 32;

/**
 * `direct`: the keys are one merchant's own (a single shop deploying Guitai
 * for itself). `partner`: the keys, merchant number (`sp_mchid`) and app
 * (`sp_appid`) are a service provider's, and every call names the merchant's
 * sub-merchant number (#18).
 */
export type WechatPayMode = 'direct' | 'partner';

export interface WechatPayConfig {
  mode: WechatPayMode;
  apiBase: string;
  mchId: string;
  appId: string;
  merchantPrivateKey: KeyObject;
  /** The merchant API certificate's serial (Authorization `serial_no`). */
  merchantSerial: string;
  apiV3Key: Buffer;
  /** Every key WeChat Pay may sign with, by certificate serial or `PUB_KEY_ID_…`. */
  platformKeys: PlatformKeys;
}

type Env = Record<string, string | undefined>;

function optional(env: Env, name: string): string | undefined {
  return env[name]?.trim() || undefined;
}

function required(env: Env, name: string): string {
  const value = optional(env, name);
  if (!value) throw new Error(`Environment variable ${name} is not set.`);
  return value;
}

/** PEM, possibly written on one line with `\n` escapes. */
function pemText(value: string): string {
  return value.trim().replaceAll('\\n', '\n');
}

function derOrPem(value: string): { key: string | Buffer; format: 'pem' | 'der' } {
  const text = pemText(value);
  if (text.includes('-----BEGIN')) return { key: text, format: 'pem' };
  const compact = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) throw new Error('not PEM and not base64');
  return { key: Buffer.from(compact, 'base64'), format: 'der' };
}

function parsed<T>(name: string, what: string, parse: () => T): T {
  try {
    return parse();
  } catch {
    throw new Error(`Environment variable ${name} does not hold ${what}.`);
  }
}

function certificates(name: string, value: string): X509Certificate[] {
  const blocks = pemText(value).match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) throw new Error(`Environment variable ${name} does not hold a PEM certificate.`);
  return blocks.map((block) => parsed(name, 'usable PEM certificates', () => new X509Certificate(block)));
}

/** WECHATPAY_MODE: `direct` unless set; anything else is a deployment mistake. */
export function wechatModeFromEnv(env: Env): WechatPayMode {
  const mode = optional(env, 'WECHATPAY_MODE') ?? 'direct';
  if (mode !== 'direct' && mode !== 'partner') throw new Error('Environment variable WECHATPAY_MODE must be direct or partner.');
  return mode;
}

export function readWechatPayConfig(env: Env = process.env): WechatPayConfig {
  const mode = wechatModeFromEnv(env);
  const apiBaseText = optional(env, 'WECHATPAY_API_BASE') ?? default_wechatpay_api_base;
  const apiBase = parsed('WECHATPAY_API_BASE', 'a URL', () => new URL(apiBaseText).href.replace(/\/+$/, ''));
  const mchId = required(env, 'WECHATPAY_MCHID');
  if (!/^\d{8,12}$/.test(mchId)) throw new Error('Environment variable WECHATPAY_MCHID is not a merchant number (digits).');
  const appId = required(env, 'WECHAT_APPID');
  const privateKeyText = required(env, 'WECHATPAY_MERCHANT_PRIVATE_KEY');
  const merchantPrivateKey = parsed('WECHATPAY_MERCHANT_PRIVATE_KEY', 'a usable RSA private key (PEM or base64 PKCS#8)', () => {
    const source = derOrPem(privateKeyText);
    const key = source.format === 'pem' ? createPrivateKey(source.key) : createPrivateKey({ key: source.key, format: 'der', type: 'pkcs8' });
    if (key.asymmetricKeyType !== 'rsa') throw new Error('not RSA');
    return key;
  });
  const merchantSerial = required(env, 'WECHATPAY_MERCHANT_SERIAL').toUpperCase();
  if (!/^[0-9A-F]{8,40}$/.test(merchantSerial)) throw new Error('Environment variable WECHATPAY_MERCHANT_SERIAL is not a certificate serial (hex).');
  const apiV3Key = Buffer.from(required(env, 'WECHATPAY_APIV3_KEY'), 'utf8');
  if (apiV3Key.length !== wechatpay_apiv3_key_bytes) {
    throw new Error(`Environment variable WECHATPAY_APIV3_KEY must be ${wechatpay_apiv3_key_bytes} bytes, got ${apiV3Key.length}.`);
  }

  const platformKeys = new Map<string, KeyObject>();
  const publicKeyText = optional(env, 'WECHATPAY_PLATFORM_PUBLIC_KEY');
  const publicKeyId = optional(env, 'WECHATPAY_PLATFORM_PUBLIC_KEY_ID');
  if (publicKeyText !== undefined || publicKeyId !== undefined) {
    if (!publicKeyText) throw new Error('Environment variable WECHATPAY_PLATFORM_PUBLIC_KEY is not set (WECHATPAY_PLATFORM_PUBLIC_KEY_ID is).');
    if (!publicKeyId) throw new Error('Environment variable WECHATPAY_PLATFORM_PUBLIC_KEY_ID is not set (WECHATPAY_PLATFORM_PUBLIC_KEY is).');
    if (!/^PUB_KEY_ID_[0-9A-Za-z]+$/.test(publicKeyId)) throw new Error('Environment variable WECHATPAY_PLATFORM_PUBLIC_KEY_ID does not start with PUB_KEY_ID_.');
    const key = parsed('WECHATPAY_PLATFORM_PUBLIC_KEY', 'a usable RSA public key (PEM or base64 SPKI)', () => {
      const source = derOrPem(publicKeyText);
      return source.format === 'pem' ? createPublicKey(source.key) : createPublicKey({ key: source.key, format: 'der', type: 'spki' });
    });
    platformKeys.set(serialKey(publicKeyId), key);
  }
  const certsText = optional(env, 'WECHATPAY_PLATFORM_CERTS');
  if (certsText !== undefined) {
    for (const certificate of certificates('WECHATPAY_PLATFORM_CERTS', certsText)) {
      platformKeys.set(serialKey(certificate.serialNumber), certificate.publicKey);
    }
  }
  if (platformKeys.size === 0) {
    throw new Error('Environment variables WECHATPAY_PLATFORM_PUBLIC_KEY (+ _ID) or WECHATPAY_PLATFORM_CERTS: neither is set.');
  }
  return { mode, apiBase, mchId, appId, merchantPrivateKey, merchantSerial, apiV3Key, platformKeys };
}
