import type { AlipaySdk } from 'alipay-sdk';
import { alipaySdk, requestErrorBody, verifiedErrorResponse } from './alipay-sdk.js';
import { AppError } from '../_kernel/errors.js';
import { beijingTimestamp } from './alipay-time.js';
import { privateKeyPem, publicKeyPem } from './pem.js';

/**
 * Alipay mini-program login: `alipay.system.oauth.token` turns the auth code
 * from `my.getAuthCode` into the user's ids, through alipay-sdk. The SDK only
 * checks a response's signature when asked (`validateSign`), and it cannot
 * check one that comes under `error_response`; that case is verified here
 * with the SDK's own routine before its `sub_code` is believed.
 */

export const alipay_request_timeout_ms = 5_000;

const oauth_method = 'alipay.system.oauth.token';
const invalid_code_sub_codes = new Set(['isv.code-invalid']);

export interface AlipayLoginOptions {
  gateway: string;
  appId: string;
  appPrivateKey: string;
  alipayPublicKey: string;
}

export interface AlipayIdentity {
  userId: string;
  openId?: string;
}

export interface AlipayLogin {
  oauthToken(code: string): Promise<AlipayIdentity>;
}

interface AlipayFailure {
  subCode: string;
  subMsg: string;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function failureError(failure: AlipayFailure): AppError {
  if (invalid_code_sub_codes.has(failure.subCode)) {
    return new AppError('invalid_code', `Alipay rejected the auth code (${failure.subCode} ${failure.subMsg}).`);
  }
  return new AppError('platform_error', `Alipay ${oauth_method} failed (${failure.subCode} ${failure.subMsg}).`);
}

export function createAlipayLogin(options: AlipayLoginOptions): AlipayLogin {
  const client = alipaySdk({
    gateway: options.gateway,
    appId: options.appId,
    appPrivateKey: privateKeyPem(options.appPrivateKey),
    alipayPublicKey: publicKeyPem(options.alipayPublicKey),
    timeoutMs: alipay_request_timeout_ms,
    camelcase: true,
  });

  /** The verified `error_response`, as the failure this module reports. */
  function verifiedFailure(sdk: AlipaySdk, raw: string): AlipayFailure | undefined {
    const record = verifiedErrorResponse(sdk, raw);
    if (!record) return undefined;
    return { subCode: text(record['sub_code']) ?? text(record['code']) ?? 'unknown', subMsg: text(record['sub_msg']) ?? text(record['msg']) ?? '' };
  }


  return {
    async oauthToken(code) {
      if (code === '') throw new AppError('invalid_code', 'The auth code is empty.');
      let result: Record<string, unknown>;
      let sdk: AlipaySdk | undefined;
      try {
        sdk = await client();
        result = await sdk.exec(
          oauth_method,
          { grantType: 'authorization_code', code, timestamp: beijingTimestamp() },
          { validateSign: true },
        );
      } catch (e) {
        const raw = sdk ? await requestErrorBody(e) : undefined;
        const failure = sdk && raw ? verifiedFailure(sdk, raw) : undefined;
        if (failure) throw failureError(failure);
        throw new AppError('platform_error', `Alipay ${oauth_method} request failed or its answer failed verification.`);
      }
      const subCode = text(result['subCode']);
      const resultCode = text(result['code']);
      if (subCode !== undefined || (resultCode !== undefined && resultCode !== '10000')) {
        throw failureError({ subCode: subCode ?? resultCode ?? 'unknown', subMsg: text(result['subMsg']) ?? text(result['msg']) ?? '' });
      }
      const userId = text(result['userId']);
      if (!userId) throw new AppError('platform_error', `Alipay ${oauth_method} answered without a user_id.`);
      const openId = text(result['openId']);
      return openId === undefined ? { userId } : { userId, openId };
    },
  };
}
