import Taro from '@tarojs/taro';
import type { Platform } from '../../shared/api/common';

export interface LoginCode {
  platform: Platform;
  code: string;
}

// Decided outside any async function: Babel rewrites async bodies into a state
// machine that the bundler can no longer prune, and the sandbox must not reach
// the mini-program builds.
// A public H5 build is made with TARO_APP_SANDBOX empty, which leaves the sandbox out of it too.
const sandboxCode: ((userId: string | undefined) => Promise<string>) | null =
  process.env.TARO_ENV === 'h5' && process.env.TARO_APP_SANDBOX !== ''
    ? (userId) => import('./sandbox.h5').then((m) => m.sandboxLoginCode(userId ?? m.sandboxShopper()))
    : null;

/**
 * A fresh one-time login code from the platform. On H5 the payment sandbox
 * issues it for `sandboxUserId`; that module is compiled into the H5 build only.
 */
export async function getLoginCode(sandboxUserId?: string): Promise<LoginCode> {
  if (sandboxCode) return { platform: 'wechat', code: await sandboxCode(sandboxUserId) };
  if (process.env.TARO_ENV === 'alipay') {
    // Taro maps login to my.getAuthCode here but leaves the answer under `authCode`.
    const res = (await Taro.login()) as { code?: string; authCode?: string };
    return { platform: 'alipay', code: requireCode(res.code ?? res.authCode) };
  }
  const res = await Taro.login();
  return { platform: 'wechat', code: requireCode(res.code) };
}

function requireCode(code: string | undefined): string {
  if (!code) throw new Error('没有拿到登录凭证，请重试');
  return code;
}
