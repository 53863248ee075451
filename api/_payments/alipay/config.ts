import { readAlipayConfig } from '../../_platform/index.js';

/**
 * Alipay payment settings. The gateway, app id and the two keys are the ones
 * login already uses (`readAlipayConfig`: PEM, one-line PEM or bare base64,
 * normalised to PKCS#8 / SPKI PEM once, here). Payments add:
 *
 * - `ALIPAY_MODE` (`direct`, the default, or `isv`): in `direct` mode the app
 *   is the shop's own and takes the money into `ALIPAY_SELLER_ID`. In `isv`
 *   mode the app is the service provider's third-party app (第三方应用): every
 *   call for a merchant carries that merchant's `app_auth_token` (see
 *   app-auth.service.ts) and the money is the authorising merchant's.
 * - `ALIPAY_SELLER_ID`: the merchant's PID (2088 and 12 digits). Alipay names
 *   it as `seller_id` in every payment notification; the core compares.
 *   Required in direct mode; in isv mode optional, the provider's own PID, for
 *   the one merchant that may take payments in direct mode beside the
 *   authorised ones.
 * - `ALIPAY_OP_APP_ID` (optional): the mini-program that opens the pay sheet,
 *   sent as `op_app_id` with `alipay.trade.create`. Defaults to
 *   `ALIPAY_APPID`, for a mini-program that calls the gateway with its own id.
 */

type Env = Record<string, string | undefined>;

export type AlipayDeploymentMode = 'direct' | 'isv';

export interface AlipayPayConfig {
  /** Absent means direct (callers made before #18 build the config by hand). */
  mode?: AlipayDeploymentMode;
  gateway: string;
  appId: string;
  /** PKCS#8 PEM. */
  appPrivateKey: string;
  /** SPKI PEM: verifies responses and notifications. */
  alipayPublicKey: string;
  /** The deployment's own PID; empty in isv mode when ALIPAY_SELLER_ID is not set. */
  sellerId: string;
  opAppId: string;
}

/** `ALIPAY_MODE`: direct unless set to isv. */
export function readAlipayMode(env: Env = process.env): AlipayDeploymentMode {
  const mode = env['ALIPAY_MODE']?.trim().toLowerCase() || 'direct';
  if (mode !== 'direct' && mode !== 'isv') throw new Error('Environment variable ALIPAY_MODE must be direct or isv.');
  return mode;
}

const seller_id_pattern = /^2088\d{12}$/;
const app_id_pattern = /^\d{16}$/;

export function readAlipayPayConfig(env: Env = process.env): AlipayPayConfig {
  const mode = readAlipayMode(env);
  const base = readAlipayConfig(env);
  const sellerId = env['ALIPAY_SELLER_ID']?.trim() ?? '';
  if (!sellerId && mode === 'direct') throw new Error('Environment variable ALIPAY_SELLER_ID is not set.');
  if (sellerId && !seller_id_pattern.test(sellerId)) throw new Error('Environment variable ALIPAY_SELLER_ID must be the merchant PID: 2088 and 12 digits.');
  const opAppId = env['ALIPAY_OP_APP_ID']?.trim() || base.appId;
  if (!app_id_pattern.test(opAppId)) throw new Error('Environment variable ALIPAY_OP_APP_ID must be an Alipay app id (16 digits).');
  return { ...base, mode, sellerId, opAppId };
}
