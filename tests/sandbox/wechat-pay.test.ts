import { createPrivateKey, createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyWechatSignature } from '../../api/_payments/wechat/notification';
import { signRequest } from '../../api/_payments/wechat/signing';
import { parseNotifyMode } from '../../tools/sandbox/notify-control';
import { useSandbox } from '../_support/sandbox';

/** The WeChat Pay sandbox refuses what the platform refuses, and signs even its refusals. */

const ctx = useSandbox();

async function send(method: 'GET' | 'POST', path: string, body: object | undefined, tweak: { serial?: string; mchId?: string; timestamp?: string; tamper?: boolean; noAuth?: boolean } = {}) {
  const text = body === undefined ? '' : JSON.stringify(body);
  const authorization = signRequest({
    mchId: tweak.mchId ?? ctx.keys.wechat.mchId,
    serialNo: tweak.serial ?? ctx.keys.wechat.merchantCertificateSerial,
    privateKey: createPrivateKey(ctx.keys.wechat.merchantPrivateKey),
    method,
    pathAndQuery: path,
    body: text,
    timestamp: tweak.timestamp ?? String(Math.floor(Date.now() / 1000)),
  });
  const response = await fetch(`${ctx.sandbox.url}${path}`, {
    method,
    headers: { ...(tweak.noAuth ? {} : { Authorization: authorization }), 'Content-Type': 'application/json', Accept: 'application/json' },
    ...(body === undefined ? {} : { body: tweak.tamper ? text.replace('"total":100', '"total":1') : text }),
  });
  const raw = await response.text();
  const headers: Record<string, string> = {};
  response.headers.forEach((v, k) => {
    headers[k] = v;
  });
  // Every answer, refusals included, verifies with the platform public key.
  verifyWechatSignature(raw, headers, new Map([[ctx.keys.wechat.platformPublicKeyId, createPublicKey(ctx.keys.wechat.platformPublicKey)]]), new Date());
  return { status: response.status, body: raw === '' ? undefined : (JSON.parse(raw) as Record<string, unknown>) };
}

function native(outTradeNo: string, extra: object = {}) {
  return {
    appid: ctx.keys.wechat.appId,
    mchid: ctx.keys.wechat.mchId,
    description: '柜台测试',
    out_trade_no: outTradeNo,
    notify_url: 'https://example.com/notify',
    amount: { total: 100, currency: 'CNY' },
    ...extra,
  };
}

describe('WeChat Pay sandbox: request signatures', () => {
  it('accepts a correctly signed request', async () => {
    expect(await send('POST', '/v3/pay/transactions/native', native('SBX000001'))).toMatchObject({ status: 200, body: { code_url: expect.stringMatching(/^weixin:/) } });
  });
  it.each([
    ['no Authorization', { noAuth: true }],
    ['another serial_no', { serial: '0123456789ABCDEF0123456789ABCDEF01234567' }],
    ['a timestamp in milliseconds', { timestamp: String(Date.now()) }],
    ['a timestamp 6 minutes old', { timestamp: String(Math.floor(Date.now() / 1000) - 360) }],
    ['a body changed after signing', { tamper: true }],
    ['another mchid in the header', { mchId: '1900000000' }],
  ])('refuses %s with 401 SIGN_ERROR', async (_name, tweak) => {
    expect(await send('POST', '/v3/pay/transactions/native', native('SBX000002'), tweak)).toMatchObject({ status: 401, body: { code: 'SIGN_ERROR' } });
  });
  it('a GET is signed over an empty body line', async () => {
    await send('POST', '/v3/pay/transactions/native', native('SBX000003'));
    expect(await send('GET', `/v3/pay/transactions/out-trade-no/SBX000003?mchid=${ctx.keys.wechat.mchId}`, undefined)).toMatchObject({
      status: 200,
      body: { trade_state: 'NOTPAY', amount: { total: 100 } },
    });
  });
});

describe('WeChat Pay sandbox: platform rules', () => {
  it('another appid, a 128-byte description, a fractional amount → 400', async () => {
    expect((await send('POST', '/v3/pay/transactions/native', native('SBX000010', { appid: 'wx0000000000000000' }))).body).toMatchObject({ code: 'APPID_MCHID_NOT_MATCH' });
    expect((await send('POST', '/v3/pay/transactions/native', native('SBX000011', { description: 'a'.repeat(128) }))).body).toMatchObject({ code: 'PARAM_ERROR' });
    expect((await send('POST', '/v3/pay/transactions/native', native('SBX000012', { description: 'a'.repeat(127) }))).status).toBe(200);
    expect((await send('POST', '/v3/pay/transactions/native', native('SBX000013', { amount: { total: 1.5 } }))).body).toMatchObject({ code: 'PARAM_ERROR' });
  });
  it('an unpaid trade past time_expire reads CLOSED and cannot be paid', async () => {
    await send('POST', '/v3/pay/transactions/native', native('SBX000020', { time_expire: '2020-01-01T10:00:00+08:00' }));
    expect((await send('GET', `/v3/pay/transactions/out-trade-no/SBX000020?mchid=${ctx.keys.wechat.mchId}`, undefined)).body).toMatchObject({ trade_state: 'CLOSED' });
  });
  it('close answers 204 with a signed empty body', async () => {
    await send('POST', '/v3/pay/transactions/native', native('SBX000030'));
    expect(await send('POST', '/v3/pay/transactions/out-trade-no/SBX000030/close', { mchid: ctx.keys.wechat.mchId })).toEqual({ status: 204, body: undefined });
  });
});

describe('notification control modes', () => {
  it.each([
    ['normal', { kind: 'normal' }],
    ['drop', { kind: 'drop' }],
    ['reorder', { kind: 'reorder' }],
    ['repeat:1', { kind: 'repeat', times: 1 }],
    ['repeat:20', { kind: 'repeat', times: 20 }],
    ['repeat:21', undefined],
    ['repeat:0', undefined],
    ['delay:0', { kind: 'delay', ms: 0 }],
    ['delay:600000', { kind: 'delay', ms: 600000 }],
    ['delay:600001', undefined],
    ['delay:-1', undefined],
    ['fast', undefined],
  ])('%s', (text, mode) => {
    expect(parseNotifyMode(text)).toEqual(mode);
  });
});
