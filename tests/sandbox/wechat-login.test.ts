import { describe, expect, it } from 'vitest';
import { useSandbox } from '../_support/sandbox';
import { issueLoginCode } from '../../tools/sandbox/client';

const ctx = useSandbox();

async function jscode2session(params: Record<string, string>): Promise<{ status: number; contentType: string | null; body: Record<string, unknown> }> {
  const response = await fetch(`${ctx.sandbox.url}/sns/jscode2session?${new URLSearchParams(params)}`);
  return { status: response.status, contentType: response.headers.get('content-type'), body: JSON.parse(await response.text()) };
}

function validParams(code: string): Record<string, string> {
  return { appid: ctx.keys.wechat.appId, secret: ctx.keys.wechat.appSecret, js_code: code, grant_type: 'authorization_code' };
}

describe('sandbox GET /sns/jscode2session', () => {
  it('answers a fresh code with the openid, unionid and a session key, labelled text/plain', async () => {
    const code = await issueLoginCode(ctx.sandbox.url, { platform: 'wechat', appId: ctx.keys.wechat.appId, userId: 'oSandboxUser1', unionId: 'oUnion1' });
    const { status, contentType, body } = await jscode2session(validParams(code));
    expect(status).toBe(200);
    expect(contentType).toMatch(/^text\/plain/);
    expect(body).toMatchObject({ openid: 'oSandboxUser1', unionid: 'oUnion1' });
    expect(Buffer.from(String(body['session_key']), 'base64')).toHaveLength(16);
    expect(body).not.toHaveProperty('errcode');
  });

  it('uses WeChat errcodes with HTTP 200 for every failure', async () => {
    const issue = () => issueLoginCode(ctx.sandbox.url, { platform: 'wechat', appId: ctx.keys.wechat.appId, userId: 'oSandboxUser2' });
    const used = await issue();
    await jscode2session(validParams(used));
    const cases: [string, Record<string, string>, number][] = [
      ['used code', validParams(used), 40163],
      ['unknown code', validParams('0a1b2c3d4e5f'), 40029],
      ['wrong appid', { ...validParams(await issue()), appid: 'wx0000000000000000' }, 40013],
      ['wrong secret', { ...validParams(await issue()), secret: 'f'.repeat(32) }, 40125],
      ['missing appid', { secret: ctx.keys.wechat.appSecret, js_code: 'x', grant_type: 'authorization_code' }, 41002],
      ['missing secret', { appid: ctx.keys.wechat.appId, js_code: 'x', grant_type: 'authorization_code' }, 41004],
      ['missing code', { appid: ctx.keys.wechat.appId, secret: ctx.keys.wechat.appSecret, grant_type: 'authorization_code' }, 41008],
      ['wrong grant_type', { ...validParams(await issue()), grant_type: 'client_credential' }, 40002],
    ];
    for (const [name, params, errcode] of cases) {
      const { status, body } = await jscode2session(params);
      expect({ name, status, errcode: body['errcode'] }).toEqual({ name, status: 200, errcode });
      expect(body['errmsg']).toMatch(/rid: /);
      expect(body).not.toHaveProperty('openid');
    }
  });

  it('does not spend a code on a request that fails its credentials check', async () => {
    const code = await issueLoginCode(ctx.sandbox.url, { platform: 'wechat', appId: ctx.keys.wechat.appId, userId: 'oSandboxUser3' });
    expect((await jscode2session({ ...validParams(code), secret: 'wrong' })).body['errcode']).toBe(40125);
    expect((await jscode2session(validParams(code))).body['openid']).toBe('oSandboxUser3');
  });

  it('refuses to issue codes for an app it does not know, and lists users it issued codes for', async () => {
    await expect(issueLoginCode(ctx.sandbox.url, { platform: 'wechat', appId: 'wx1111111111111111', userId: 'oX' })).rejects.toThrow(/HTTP 400/);
    await expect(issueLoginCode(ctx.sandbox.url, { platform: 'alipay', appId: ctx.keys.alipay.appId, userId: 'oNotAnAlipayId' })).rejects.toThrow(/HTTP 400/);
    const users = (await (await fetch(`${ctx.sandbox.url}/sandbox/users`)).json()) as { users: { userId: string }[] };
    expect(users.users.map((u) => u.userId)).toContain('oSandboxUser1');
  });
});
