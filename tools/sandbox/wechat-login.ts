import { randomBytes } from 'node:crypto';
import { Hono } from 'hono';
import type { SandboxKeys } from './keys';
import type { LoginCodes } from './login-codes';

/**
 * WeChat's `GET /sns/jscode2session` (auth.code2Session). Like the real API it
 * answers HTTP 200 with an `errcode` for every failure, and with
 * `Content-Type: text/plain`, so a client that trusts the header breaks here
 * and not in production.
 */

const errors = {
  invalidGrantType: { errcode: 40002, errmsg: 'invalid grant_type' },
  invalidAppId: { errcode: 40013, errmsg: 'invalid appid' },
  invalidCode: { errcode: 40029, errmsg: 'invalid code' },
  invalidSecret: { errcode: 40125, errmsg: 'invalid appsecret' },
  codeUsed: { errcode: 40163, errmsg: 'code been used' },
  appIdMissing: { errcode: 41002, errmsg: 'appid missing' },
  secretMissing: { errcode: 41004, errmsg: 'appsecret missing' },
  codeMissing: { errcode: 41008, errmsg: 'missing code' },
} as const;

const session_key_bytes = 16;

function rid(): string {
  return [4, 4, 4].map((n) => randomBytes(n).toString('hex')).join('-');
}

export function wechatLoginRoutes(keys: SandboxKeys, codes: LoginCodes): Hono {
  const app = new Hono();
  app.get('/sns/jscode2session', (c) => {
    const reply = (body: object) => c.text(JSON.stringify(body), 200, { 'Content-Type': 'text/plain' });
    const fail = (error: { errcode: number; errmsg: string }) =>
      reply({ errcode: error.errcode, errmsg: `${error.errmsg}, rid: ${rid()}` });

    const appId = c.req.query('appid');
    const secret = c.req.query('secret');
    const code = c.req.query('js_code');
    if (!appId) return fail(errors.appIdMissing);
    if (!secret) return fail(errors.secretMissing);
    if (!code) return fail(errors.codeMissing);
    if (c.req.query('grant_type') !== 'authorization_code') return fail(errors.invalidGrantType);
    if (appId !== keys.wechat.appId) return fail(errors.invalidAppId);
    if (secret !== keys.wechat.appSecret) return fail(errors.invalidSecret);

    const redeemed = codes.redeem('wechat', appId, code);
    if (redeemed.outcome === 'used') return fail(errors.codeUsed);
    if (redeemed.outcome !== 'ok') return fail(errors.invalidCode);
    const { user } = redeemed;
    return reply({
      session_key: randomBytes(session_key_bytes).toString('base64'),
      openid: user.userId,
      ...(user.unionId === undefined ? {} : { unionid: user.unionId }),
    });
  });
  return app;
}
