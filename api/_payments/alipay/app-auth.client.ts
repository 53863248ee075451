import { createHmac } from 'node:crypto';
import type { AlipaySdk } from 'alipay-sdk';
import { AppError } from '../../_kernel/errors.js';
import { deploymentEnvironment, isDeployed } from '../../_kernel/environment.js';
import { secretBox, secretKeyFromEnv, type SecretBox } from '../../_kernel/secret-box.js';
import { alipaySdk, beijingTimestamp, readAlipayConfig, requestErrorBody, verifiedErrorResponse } from '../../_platform/index.js';
import { readAlipayMode, type AlipayDeploymentMode } from './config.js';
import { alipay_code_success, failureOf, text, type AlipayRecord } from './state.js';

/**
 * What the authorisation of the provider's app needs from the deployment
 * (#18): the mode, the provider's app (`ALIPAY_APPID` and keys, the same
 * variables payments read), where merchants consent (`ALIPAY_APP_AUTH_URL`,
 * Alipay's page unless set; the sandbox's page in dev and tests), the secret
 * box that seals the tokens (`GUITAI_SECRET_KEY`), and the one call
 * `alipay.open.auth.token.app`, signed by the provider's app without any
 * `app_auth_token`.
 *
 * Everything is made on first use, so a deployment in direct mode without
 * Alipay keys never reads them.
 */

type Env = Record<string, string | undefined>;

export const default_app_auth_url = 'https://openauth.alipay.com/oauth2/appToAppAuth.htm';
export const alipay_app_auth_timeout_ms = 10_000;
const seller_id_pattern = /^2088\d{12}$/;

/** The token pair Alipay grants, with lifetimes in seconds as it states them (`expires_in` may be absent: Alipay calls the token long-lived). */
export interface AlipayTokenGrant {
  sellerId: string;
  authAppId: string;
  appAuthToken: string;
  appRefreshToken: string;
  expiresInS: number | null;
  refreshExpiresInS: number | null;
}

/** `refused`: Alipay answered and said no (a bad or used code, a withdrawn authorisation). `failed`: no usable answer. */
export type TokenExchange = { outcome: 'granted'; grant: AlipayTokenGrant } | { outcome: 'refused'; code: string; message: string } | { outcome: 'failed'; message: string };

export type TokenRequest = { grantType: 'authorization_code'; code: string } | { grantType: 'refresh_token'; refreshToken: string };

export interface AlipayAppAuth {
  readonly mode: AlipayDeploymentMode;
  /** The provider's app id (`ALIPAY_APPID`); throws a 503 when Alipay is not configured. */
  providerAppId(): string;
  /** Alipay's consent page (or the sandbox's). */
  readonly authorizeUrl: string;
  /** Seals the tokens, bound to the merchant id. */
  box(): SecretBox;
  /** The key that signs the `state` of an authorisation link (derived from the secret key, so it needs no variable of its own). */
  stateKey(): Buffer;
  exchange(request: TokenRequest): Promise<TokenExchange>;
}

function positiveSeconds(value: unknown): number | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d{1,12}$/.test(value) ? Number(value) : NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

/** The grant from a verified answer: the top-level fields, or the first of `tokens[]` where Alipay moved them. */
export function grantOf(record: AlipayRecord): AlipayTokenGrant | undefined {
  const tokens = Array.isArray(record['tokens']) ? (record['tokens'] as unknown[]) : [];
  const first = typeof tokens[0] === 'object' && tokens[0] !== null ? (tokens[0] as AlipayRecord) : undefined;
  const source = text(record, 'app_auth_token') ? record : first;
  if (!source) return undefined;
  const sellerId = text(source, 'user_id');
  const authAppId = text(source, 'auth_app_id');
  const appAuthToken = text(source, 'app_auth_token');
  const appRefreshToken = text(source, 'app_refresh_token');
  if (!sellerId || !seller_id_pattern.test(sellerId) || !authAppId || !appAuthToken || !appRefreshToken) return undefined;
  return { sellerId, authAppId, appAuthToken, appRefreshToken, expiresInS: positiveSeconds(source['expires_in']), refreshExpiresInS: positiveSeconds(source['re_expires_in']) };
}

export function alipayAppAuthFromEnv(env: Env, clock: () => Date = () => new Date()): AlipayAppAuth {
  const mode = readAlipayMode(env);
  const deployed = isDeployed(deploymentEnvironment(env));
  let provider: ReturnType<typeof readAlipayConfig> | undefined;
  let client: (() => Promise<AlipaySdk>) | undefined;
  let sealer: SecretBox | undefined;
  let stateKey: Buffer | undefined;

  const configured = () => {
    try {
      provider ??= readAlipayConfig(env);
      return provider;
    } catch (e) {
      throw new AppError('unavailable', '支付宝未配置', undefined, { detail: e instanceof Error ? e.message : String(e) });
    }
  };
  const secretKey = () => {
    try {
      return secretKeyFromEnv(env, deployed);
    } catch (e) {
      throw new AppError('unavailable', '支付宝授权暂不可用', undefined, { detail: e instanceof Error ? e.message : String(e) });
    }
  };

  return {
    mode,
    authorizeUrl: env['ALIPAY_APP_AUTH_URL']?.trim() || default_app_auth_url,
    providerAppId: () => configured().appId,
    box: () => (sealer ??= secretBox(secretKey())),
    stateKey: () => (stateKey ??= createHmac('sha256', secretKey()).update('guitai alipay app-auth state v1').digest()),

    async exchange(request) {
      const config = configured();
      client ??= alipaySdk({ ...config, timeoutMs: alipay_app_auth_timeout_ms, camelcase: false });
      const method = 'alipay.open.auth.token.app';
      const bizContent = request.grantType === 'authorization_code' ? { grant_type: 'authorization_code', code: request.code } : { grant_type: 'refresh_token', refresh_token: request.refreshToken };
      let sdk: AlipaySdk | undefined;
      let record: AlipayRecord | undefined;
      try {
        sdk = await client();
        const result: unknown = await sdk.exec(method, { bizContent, timestamp: beijingTimestamp(clock()) }, { validateSign: true });
        if (typeof result === 'object' && result !== null) record = result as AlipayRecord;
      } catch (e) {
        const raw = sdk ? await requestErrorBody(e) : undefined;
        record = sdk && raw ? (verifiedErrorResponse(sdk, raw) as AlipayRecord | undefined) : undefined;
        if (!record) return { outcome: 'failed', message: `Alipay ${method} request failed or its answer failed verification: ${e instanceof Error ? e.message : String(e)}` };
      }
      if (!record) return { outcome: 'failed', message: `Alipay ${method} answered without a response object.` };
      if (text(record, 'code') !== alipay_code_success) {
        const failure = failureOf(record);
        // 20000 (service unavailable) says nothing about the grant: try again later rather than give it up.
        if (text(record, 'code') === '20000') return { outcome: 'failed', message: `Alipay ${method} unavailable (${failure.code} ${failure.message}).` };
        return { outcome: 'refused', code: failure.code, message: failure.message };
      }
      const grant = grantOf(record);
      if (!grant) return { outcome: 'failed', message: `Alipay ${method} answered success without a complete token.` };
      return { outcome: 'granted', grant };
    },
  };
}
