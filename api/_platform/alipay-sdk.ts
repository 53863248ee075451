import { AlipaySdk } from 'alipay-sdk';

export interface AlipaySdkOptions {
  gateway: string;
  appId: string;
  /** PEM (PKCS#8) */
  appPrivateKey: string;
  /** PEM (SPKI) */
  alipayPublicKey: string;
  timeoutMs: number;
  camelcase: boolean;
}

/** One configured client for the login and the payment adapter alike. */
export function alipaySdk(options: AlipaySdkOptions): AlipaySdk {
  const gateway = new URL(options.gateway);
  // PEM without a trailing newline: the SDK re-wraps keys line by line and keeps a last empty line as key text.
  return new AlipaySdk({
    appId: options.appId,
    privateKey: options.appPrivateKey.trim(),
    alipayPublicKey: options.alipayPublicKey.trim(),
    keyType: 'PKCS8',
    signType: 'RSA2',
    gateway: gateway.href,
    endpoint: gateway.origin,
    timeout: options.timeoutMs,
    camelcase: options.camelcase,
  });
}

/**
 * The `error_response` of a raw body whose signature checks out, else
 * undefined. The SDK cannot verify an error response itself, so this does.
 */
export function verifiedErrorResponse(sdk: AlipaySdk, raw: string): Record<string, unknown> | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { error_response: error, sign } = parsed as Record<string, unknown>;
  if (typeof error !== 'object' || error === null || typeof sign !== 'string') return undefined;
  try {
    sdk.checkResponseSign(raw, 'error_response', sign, '');
  } catch {
    return undefined;
  }
  return error as Record<string, unknown>;
}
