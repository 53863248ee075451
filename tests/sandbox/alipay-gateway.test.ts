import { createSign, createVerify, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useSandbox } from '../_support/sandbox';
import { beijingTimestamp } from '../../api/_platform/alipay-time';
import { signedResponseBody } from '../../tools/sandbox/alipay-signing';
import { issueLoginCode } from '../../tools/sandbox/client';

const ctx = useSandbox();

const method = 'alipay.system.oauth.token';
const responseKey = 'alipay_system_oauth_token_response';

function baseParams(code: string): Record<string, string> {
  return {
    app_id: ctx.keys.alipay.appId,
    method,
    format: 'JSON',
    charset: 'utf-8',
    sign_type: 'RSA2',
    timestamp: beijingTimestamp(),
    version: '1.0',
    grant_type: 'authorization_code',
    code,
  };
}

/** Written out here, apart from the gateway's own code, from Alipay's request rule. */
function sign(params: Record<string, string>, privateKey: string, omit: string[] = ['sign']): string {
  const content = Object.keys(params)
    .filter((k) => !omit.includes(k) && params[k] !== '')
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&');
  return createSign('RSA-SHA256').update(content, 'utf8').sign(privateKey, 'base64');
}

async function post(query: Record<string, string>, form: Record<string, string>): Promise<{ raw: string; body: Record<string, Record<string, unknown>> }> {
  const response = await fetch(`${ctx.sandbox.url}/gateway.do?${new URLSearchParams(query)}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded;charset=utf-8' },
    body: new URLSearchParams(form).toString(),
  });
  expect(response.status).toBe(200);
  const raw = await response.text();
  return { raw, body: JSON.parse(raw) };
}

function responseSignatureValid(raw: string, key: string): boolean {
  const start = raw.indexOf(`"${key}":`) + key.length + 3;
  const end = raw.lastIndexOf(',"sign":"');
  const signature = (JSON.parse(raw) as { sign: string }).sign;
  return createVerify('RSA-SHA256').update(raw.slice(start, end), 'utf8').verify(ctx.keys.alipay.alipayPublicKey, signature, 'base64');
}

async function freshCode(userId = '2088000000000007'): Promise<string> {
  return issueLoginCode(ctx.sandbox.url, { platform: 'alipay', appId: ctx.keys.alipay.appId, userId });
}

describe('sandbox POST /gateway.do', () => {
  it('accepts a request signed over all parameters but sign, common ones in the query and the rest in the body', async () => {
    const params = baseParams(await freshCode());
    params['sign'] = sign(params, ctx.keys.alipay.appPrivateKey);
    const { grant_type, code, ...common } = params;
    const { raw, body } = await post(common, { grant_type: grant_type ?? '', code: code ?? '' });
    expect(body[responseKey]).toMatchObject({ user_id: '2088000000000007' });
    expect(body[responseKey]?.['open_id']).toMatch(/^0/);
    expect(responseSignatureValid(raw, responseKey)).toBe(true);
  });

  it('signs the exact response text, in which Alipay writes / as \\/', () => {
    const raw = signedResponseBody('alipay_trade_precreate_response', { code: '10000', qr_code: 'https://qr.alipay.com/bax01' }, ctx.keys.alipay.alipayPrivateKey);
    expect(raw).toContain('"qr_code":"https:\\/\\/qr.alipay.com\\/bax01"');
    expect(responseSignatureValid(raw, 'alipay_trade_precreate_response')).toBe(true);
    const reserialised = JSON.stringify((JSON.parse(raw) as Record<string, unknown>)['alipay_trade_precreate_response']);
    const signature = (JSON.parse(raw) as { sign: string }).sign;
    expect(createVerify('RSA-SHA256').update(reserialised).verify(ctx.keys.alipay.alipayPublicKey, signature, 'base64')).toBe(false);
  });

  const rejected: [string, (params: Record<string, string>) => void, string][] = [
    ['a parameter changed after signing', (p) => { p['code'] = `${p['code']}0`; }, 'isv.invalid-signature'],
    ['a signature made by another key', (p) => { p['sign'] = sign(p, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()); }, 'isv.invalid-signature'],
    ['a signature that leaves sign_type out (the notification rule, not the request rule)', (p) => { p['sign'] = sign(p, ctx.keys.alipay.appPrivateKey, ['sign', 'sign_type']); }, 'isv.invalid-signature'],
    ['no signature', (p) => { delete p['sign']; }, 'isv.missing-signature'],
    ['an unknown app id', (p) => { p['app_id'] = '2021999999999999'; p['sign'] = sign(p, ctx.keys.alipay.appPrivateKey); }, 'isv.invalid-app-id'],
    ['sign_type RSA', (p) => { p['sign_type'] = 'RSA'; p['sign'] = sign(p, ctx.keys.alipay.appPrivateKey); }, 'isv.invalid-signature-type'],
    ['a UTC timestamp, 8 hours behind Beijing', (p) => { p['timestamp'] = new Date().toISOString().slice(0, 19).replace('T', ' '); p['sign'] = sign(p, ctx.keys.alipay.appPrivateKey); }, 'isv.invalid-timestamp'],
  ];
  for (const [name, tamper, subCode] of rejected) {
    it(`rejects ${name} with Alipay's error shape, without spending the code`, async () => {
      const code = await freshCode();
      const params = baseParams(code);
      params['sign'] = sign(params, ctx.keys.alipay.appPrivateKey);
      tamper(params);
      const { raw, body } = await post({}, params);
      expect(body[responseKey]).toMatchObject({ code: subCode.startsWith('isv.missing') ? '40001' : '40002', sub_code: subCode });
      expect(body[responseKey]).not.toHaveProperty('user_id');
      expect(responseSignatureValid(raw, responseKey)).toBe(true);

      const retry = baseParams(code);
      retry['sign'] = sign(retry, ctx.keys.alipay.appPrivateKey);
      expect((await post({}, retry)).body[responseKey]).toMatchObject({ user_id: '2088000000000007' });
    });
  }

  it('answers a used or unknown code under error_response with isv.code-invalid, signed', async () => {
    const code = await freshCode();
    const first = baseParams(code);
    first['sign'] = sign(first, ctx.keys.alipay.appPrivateKey);
    await post({}, first);
    for (const again of [code, 'deadbeef']) {
      const params = baseParams(again);
      params['sign'] = sign(params, ctx.keys.alipay.appPrivateKey);
      const { raw, body } = await post({}, params);
      expect(body['error_response']).toMatchObject({ code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.code-invalid' });
      expect(body).not.toHaveProperty(responseKey);
      expect(responseSignatureValid(raw, 'error_response')).toBe(true);
    }
  });
});
