import { readAlipayConfig } from '../../_platform/index.js';

/**
 * Alipay payment settings. The gateway, app id and the two keys are the ones
 * login already uses (`readAlipayConfig`: PEM, one-line PEM or bare base64,
 * normalised to PKCS#8 / SPKI PEM once, here). Payments add:
 *
 * - `ALIPAY_SELLER_ID`: the merchant's PID (2088 and 12 digits). Alipay names
 *   it as `seller_id` in every payment notification; the core compares.
 * - `ALIPAY_OP_APP_ID` (optional): the mini-program that opens the pay sheet,
 *   sent as `op_app_id` with `alipay.trade.create`. Defaults to
 *   `ALIPAY_APPID`, for a mini-program that calls the gateway with its own id.
 */

type Env = Record<string, string | undefined>;

export interface AlipayPayConfig {
  gateway: string;
  appId: string;
  /** PKCS#8 PEM. */
  appPrivateKey: string;
  /** SPKI PEM: verifies responses and notifications. */
  alipayPublicKey: string;
  sellerId: string;
  opAppId: string;
}

const seller_id_pattern = /^2088\d{12}$/;
const app_id_pattern = /^\d{16}$/;

export function readAlipayPayConfig(env: Env = process.env): AlipayPayConfig {
  const base = readAlipayConfig(env);
  const sellerId = env['ALIPAY_SELLER_ID']?.trim() ?? '';
  if (!sellerId) throw new Error('Environment variable ALIPAY_SELLER_ID is not set.');
  if (!seller_id_pattern.test(sellerId)) throw new Error('Environment variable ALIPAY_SELLER_ID must be the merchant PID: 2088 and 12 digits.');
  const opAppId = env['ALIPAY_OP_APP_ID']?.trim() || base.appId;
  if (!app_id_pattern.test(opAppId)) throw new Error('Environment variable ALIPAY_OP_APP_ID must be an Alipay app id (16 digits).');
  return { ...base, sellerId, opAppId };
}
