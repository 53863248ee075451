import { randomBytes } from 'node:crypto';

/**
 * One-time login codes, standing in for what `wx.login` and
 * `my.getAuthCode` hand to the mini-program. A code is bound to one platform,
 * one app and one user; redeeming it a second time reports `used`, as both
 * platforms do.
 */

export const login_code_ttl_ms = 5 * 60 * 1000;
export const login_codes_max = 10_000;
export const login_users_max = 10_000;
const login_code_bytes = 16;

export type LoginPlatform = 'wechat' | 'alipay';

export interface LoginUser {
  platform: LoginPlatform;
  appId: string;
  userId: string;
  unionId?: string;
}

interface IssuedCode {
  user: LoginUser;
  expiresAtMs: number;
  used: boolean;
}

export type RedeemOutcome =
  | { outcome: 'ok'; user: LoginUser }
  | { outcome: 'unknown' }
  | { outcome: 'expired' }
  | { outcome: 'used' };

export class LoginCodes {
  readonly #codes = new Map<string, IssuedCode>();
  readonly #users = new Map<string, LoginUser>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  issue(user: LoginUser): string | undefined {
    this.#forgetExpired();
    if (this.#codes.size >= login_codes_max) return undefined;
    const code = randomBytes(login_code_bytes).toString('hex');
    this.#codes.set(code, { user, expiresAtMs: this.#now() + login_code_ttl_ms, used: false });
    const key = `${user.platform}:${user.appId}:${user.userId}`;
    if (this.#users.has(key) || this.#users.size < login_users_max) this.#users.set(key, user);
    return code;
  }

  /** A code issued for another platform or app is unknown here, as it is to the real one. */
  redeem(platform: LoginPlatform, appId: string, code: string): RedeemOutcome {
    const issued = this.#codes.get(code);
    if (!issued || issued.user.platform !== platform || issued.user.appId !== appId) return { outcome: 'unknown' };
    if (issued.used) return { outcome: 'used' };
    if (this.#now() >= issued.expiresAtMs) return { outcome: 'expired' };
    issued.used = true;
    return { outcome: 'ok', user: issued.user };
  }

  users(): LoginUser[] {
    return [...this.#users.values()];
  }

  #forgetExpired(): void {
    const now = this.#now();
    for (const [code, issued] of this.#codes) {
      if (now >= issued.expiresAtMs) this.#codes.delete(code);
    }
  }
}
