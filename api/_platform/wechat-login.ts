import { AppError } from '../_kernel/errors.js';

/**
 * WeChat mini-program login: `auth.code2Session` turns the code from
 * `wx.login` into the user's openid. WeChat answers HTTP 200 with an
 * `errcode` on failure, and labels its JSON `text/plain`, so the body is
 * parsed whatever the header says.
 */

export const wechat_request_timeout_ms = 5_000;

/** Codes the user can fix by logging in again; anything else is WeChat's or our configuration's fault. */
const invalid_code_errcodes = new Set([40029, 40163]);

export interface WechatLoginOptions {
  apiBase: string;
  appId: string;
  appSecret: string;
  fetch?: typeof fetch;
  /** Defaults to `wechat_request_timeout_ms`. */
  timeoutMs?: number;
}

export interface WechatSession {
  openId: string;
  unionId?: string;
}

export interface WechatLogin {
  code2session(code: string): Promise<WechatSession>;
}

function field(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function createWechatLogin(options: WechatLoginOptions): WechatLogin {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? wechat_request_timeout_ms;
  const endpoint = `${options.apiBase.replace(/\/+$/, '')}/sns/jscode2session`;

  return {
    async code2session(code) {
      if (code === '') throw new AppError('invalid_code', 'The login code is empty.');
      const query = new URLSearchParams({
        appid: options.appId,
        secret: options.appSecret,
        js_code: code,
        grant_type: 'authorization_code',
      });
      let status: number;
      let text: string;
      try {
        const response = await doFetch(`${endpoint}?${query}`, { signal: AbortSignal.timeout(timeoutMs) });
        status = response.status;
        text = await response.text();
      } catch (e) {
        // The URL carries the app secret, so neither it nor the fetch error's text goes into the message.
        const reason = e instanceof Error && e.name === 'TimeoutError' ? 'timed out' : 'failed';
        throw new AppError('platform_error', `WeChat code2Session request ${reason}.`);
      }
      if (status < 200 || status > 299) throw new AppError('platform_error', `WeChat code2Session answered HTTP ${status}.`);

      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw new AppError('platform_error', 'WeChat code2Session answered with something other than JSON.');
      }
      if (typeof body !== 'object' || body === null) throw new AppError('platform_error', 'WeChat code2Session answered with an unexpected body.');
      const record = body as Record<string, unknown>;
      const errcode = record['errcode'];
      if (typeof errcode === 'number' && errcode !== 0) {
        const errmsg = field(record, 'errmsg') ?? '';
        if (invalid_code_errcodes.has(errcode)) throw new AppError('invalid_code', `WeChat rejected the login code (${errcode} ${errmsg}).`);
        throw new AppError('platform_error', `WeChat code2Session failed (${errcode} ${errmsg}).`);
      }
      const openId = field(record, 'openid');
      if (!openId) throw new AppError('platform_error', 'WeChat code2Session answered without an openid.');
      const unionId = field(record, 'unionid');
      return unionId === undefined ? { openId } : { openId, unionId };
    },
  };
}
