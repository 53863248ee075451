import type { AlipaySdk } from 'alipay-sdk';

type AlipaySdkModule = typeof import('alipay-sdk');

/**
 * alipay-sdk (with urllib, crypto-js and their trees) is loaded on the first
 * Alipay call rather than with the function: it is over a megabyte of code
 * that a cold start would otherwise read before answering any request, and
 * most requests never talk to Alipay.
 */
let sdkModule: Promise<AlipaySdkModule> | undefined;

function loadSdkModule(): Promise<AlipaySdkModule> {
  sdkModule ??= import('alipay-sdk');
  return sdkModule;
}

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

/**
 * One configured client for the login and the payment adapter alike, made on
 * first use. The gateway is still checked here, so a malformed setting fails
 * when the adapter is made, as it did when the SDK was loaded eagerly.
 */
export function alipaySdk(options: AlipaySdkOptions): () => Promise<AlipaySdk> {
  const gateway = new URL(options.gateway);
  let client: Promise<AlipaySdk> | undefined;
  return () => (client ??= loadSdkModule().then(({ AlipaySdk }) => newClient(AlipaySdk, gateway, options)));
}

function newClient(Sdk: AlipaySdkModule['AlipaySdk'], gateway: URL, options: AlipaySdkOptions): AlipaySdk {
  // PEM without a trailing newline: the SDK re-wraps keys line by line and keeps a last empty line as key text.
  return new Sdk({
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
 * The raw answer carried by the SDK's `AlipayRequestError`, else undefined.
 * It is asynchronous because the SDK's error class lives in the lazily loaded
 * module; when that module could not be loaded nothing is an SDK error.
 */
export async function requestErrorBody(e: unknown): Promise<string | undefined> {
  const sdk = await loadSdkModule().catch(() => undefined);
  return sdk && e instanceof sdk.AlipayRequestError && e.responseDataRaw ? e.responseDataRaw : undefined;
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
