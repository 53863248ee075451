import { createHash, randomBytes } from 'node:crypto';

/**
 * Alipay third-party app authorisation (第三方应用授权) as the sandbox plays
 * it: a few sandbox merchants, each with its own seller id (PID) and its own
 * app, authorise the provider's app (the sandbox's one Alipay app id).
 *
 * - A merchant consents on the authorisation page and the browser goes back to
 *   the provider's `redirect_uri` with `app_id` and a one-shot `app_auth_code`
 *   (and `state`, handed back as given).
 * - `alipay.open.auth.token.app` trades the code (`grant_type=authorization_code`)
 *   or an earlier refresh token (`grant_type=refresh_token`) for an
 *   `app_auth_token` and an `app_refresh_token`. A refresh, like a new
 *   authorisation, replaces the merchant's tokens: the old ones stop working
 *   at once (Alipay says "soon"; the sandbox is strict).
 * - Every gateway call that carries `app_auth_token` is made for that
 *   token's merchant; an unknown, replaced or revoked token is refused with
 *   `aop.invalid-app-auth-token`, an expired one with `aop.app-auth-token-time-out`
 *   (both code 20001, as Alipay's common error codes list them).
 *
 * Times come from the sandbox clock, so a test moves it to let a token expire.
 */

export const alipay_sandbox_merchants_count = 4;
export const app_auth_code_ttl_ms = 10 * 60 * 1000;
/** Alipay documents `expires_in` as deprecated ("long-lived"); the sandbox still lets tokens run out so that refreshing is exercised. */
export const app_auth_token_ttl_s = 365 * 24 * 60 * 60;
export const app_refresh_token_ttl_s = 372 * 24 * 60 * 60;
/** Live codes and tokens the sandbox keeps; past this it refuses to issue more rather than grow without bound. */
export const app_auth_entries_max = 10_000;
const token_bytes = 16;

export interface SandboxMerchant {
  /** 1-based, as the authorisation page lists them. */
  index: number;
  name: string;
  sellerId: string;
  /** The merchant's own app that authorises the provider's (`auth_app_id`). */
  authAppId: string;
}

interface IssuedCode {
  merchant: SandboxMerchant;
  appId: string;
  expiresAtMs: number;
  used: boolean;
}

interface Grant {
  merchant: SandboxMerchant;
  appId: string;
  appAuthToken: string;
  appRefreshToken: string;
  expiresAtMs: number;
  refreshExpiresAtMs: number;
}

export type TokenCheck = { outcome: 'ok'; merchant: SandboxMerchant } | { outcome: 'invalid' } | { outcome: 'expired' };

export type GrantOutcome = { outcome: 'ok'; grant: Grant } | { outcome: 'refused'; subCode: string; subMsg: string };

function digitsFrom(seed: string, count: number): string {
  const digest = createHash('sha256').update(seed).digest();
  return (digest.readBigUInt64BE(0) % 10n ** BigInt(count)).toString().padStart(count, '0');
}

/** The sandbox merchants of one provider app, fixed by its app id so that tests and dev tools agree on them. */
export function alipaySandboxMerchants(providerAppId: string): SandboxMerchant[] {
  const merchants: SandboxMerchant[] = [];
  for (let index = 1; index <= alipay_sandbox_merchants_count; index++) {
    merchants.push({
      index,
      name: `沙箱商户${index}`,
      sellerId: `2088${digitsFrom(`isv-seller:${providerAppId}:${index}`, 12)}`,
      authAppId: `2021${digitsFrom(`isv-app:${providerAppId}:${index}`, 12)}`,
    });
  }
  return merchants;
}

export class AlipayAppAuthSandbox {
  readonly merchants: SandboxMerchant[];
  readonly #codes = new Map<string, IssuedCode>();
  /** Live grants by access token and by refresh token; one grant per merchant. */
  readonly #byToken = new Map<string, Grant>();
  readonly #byRefresh = new Map<string, Grant>();
  readonly #bySeller = new Map<string, Grant>();

  constructor(
    readonly providerAppId: string,
    readonly now: () => number,
  ) {
    this.merchants = alipaySandboxMerchants(providerAppId);
  }

  merchantBySeller(sellerId: string): SandboxMerchant | undefined {
    return this.merchants.find((m) => m.sellerId === sellerId);
  }

  /** The merchant consents: a one-shot code for the provider's app, or undefined when the sandbox holds too many. */
  issueCode(merchant: SandboxMerchant, appId: string): string | undefined {
    this.#sweep();
    if (this.#codes.size >= app_auth_entries_max) return undefined;
    const code = `${randomBytes(token_bytes).toString('hex')}`;
    this.#codes.set(code, { merchant, appId, expiresAtMs: this.now() + app_auth_code_ttl_ms, used: false });
    return code;
  }

  grantByCode(appId: string, code: string): GrantOutcome {
    const issued = this.#codes.get(code);
    if (!issued || issued.appId !== appId) return { outcome: 'refused', subCode: 'isv.code-invalid', subMsg: '授权码code无效' };
    if (issued.used) return { outcome: 'refused', subCode: 'isv.code-invalid', subMsg: '授权码code已被使用' };
    if (this.now() >= issued.expiresAtMs) return { outcome: 'refused', subCode: 'isv.code-invalid', subMsg: '授权码code已过期' };
    issued.used = true;
    return { outcome: 'ok', grant: this.#grant(issued.merchant, appId) };
  }

  grantByRefresh(appId: string, refreshToken: string): GrantOutcome {
    const grant = this.#byRefresh.get(refreshToken);
    if (!grant || grant.appId !== appId) return { outcome: 'refused', subCode: 'isv.refresh-token-invalid', subMsg: '刷新令牌refresh_token无效' };
    if (this.now() >= grant.refreshExpiresAtMs) return { outcome: 'refused', subCode: 'isv.refresh-token-time-out', subMsg: '刷新令牌refresh_token已过期' };
    return { outcome: 'ok', grant: this.#grant(grant.merchant, appId) };
  }

  /** Whose token this is, for a call by the app `appId`. */
  check(appId: string, appAuthToken: string): TokenCheck {
    const grant = this.#byToken.get(appAuthToken);
    if (!grant || grant.appId !== appId) return { outcome: 'invalid' };
    if (this.now() >= grant.expiresAtMs) return { outcome: 'expired' };
    return { outcome: 'ok', merchant: grant.merchant };
  }

  /** The merchant withdraws the authorisation (in Alipay's console): its tokens stop working and cannot be refreshed. */
  revoke(merchant: SandboxMerchant): boolean {
    const grant = this.#bySeller.get(merchant.sellerId);
    if (!grant) return false;
    this.#drop(grant);
    return true;
  }

  /** A new grant replaces the merchant's old tokens. */
  #grant(merchant: SandboxMerchant, appId: string): Grant {
    const old = this.#bySeller.get(merchant.sellerId);
    if (old) this.#drop(old);
    const now = this.now();
    const grant: Grant = {
      merchant,
      appId,
      appAuthToken: `${now.toString(36)}.${randomBytes(token_bytes).toString('hex')}`,
      appRefreshToken: `${now.toString(36)}.${randomBytes(token_bytes).toString('hex')}`,
      expiresAtMs: now + app_auth_token_ttl_s * 1000,
      refreshExpiresAtMs: now + app_refresh_token_ttl_s * 1000,
    };
    this.#byToken.set(grant.appAuthToken, grant);
    this.#byRefresh.set(grant.appRefreshToken, grant);
    this.#bySeller.set(merchant.sellerId, grant);
    return grant;
  }

  #drop(grant: Grant): void {
    this.#byToken.delete(grant.appAuthToken);
    this.#byRefresh.delete(grant.appRefreshToken);
    this.#bySeller.delete(grant.merchant.sellerId);
  }

  #sweep(): void {
    const now = this.now();
    for (const [code, issued] of this.#codes) if (issued.used || now >= issued.expiresAtMs) this.#codes.delete(code);
  }
}
