import { describe, expect, it } from 'vitest';
import type { PaymentChannel } from '../../api/_payments/channel';
import { createWechatPayChannel } from '../../api/_payments/wechat/channel';
import { readWechatPayConfig } from '../../api/_payments/wechat/config';
import { paySignMessage, verifySha256Rsa } from '../../api/_payments/wechat/signing';
import { sandboxEnv } from '../../tools/sandbox/env';
import { sandbox_wechat_sub_mchids } from '../../tools/sandbox/wechat-pay';
import { useSandbox } from '../_support/sandbox';
import { createPublicKey } from 'node:crypto';

/**
 * The adapter in service-provider mode (#18) against the sandbox: every call
 * goes to the partner endpoints naming the provider (sp_appid, sp_mchid) and
 * the sub-merchant; a sub-merchant sees only its own trades and refunds; a
 * direct-mode binding is refused by a partner deployment.
 */

const ctx = useSandbox();
const [subA, subB] = sandbox_wechat_sub_mchids;
let serial = 0;

const config = () => readWechatPayConfig({ ...sandboxEnv(ctx.keys, ctx.sandbox.url), WECHATPAY_MODE: 'partner' });
const channelFor = (subMchid: string): PaymentChannel => createWechatPayChannel(config(), { channel: 'wechat', mode: 'partner', subMchid });
const tradeNo = () => `GTP${Date.now()}${String(++serial).padStart(4, '0')}`;
const trade = (outTradeNo: string, amountFen = 1200) => ({ outTradeNo, amountFen, description: '别家小店-OTHER1 订单', expiresAt: new Date(Date.now() + 15 * 60_000), notifyUrl: 'https://example.invalid/notify' });
const sandbox = async (path: string, body?: object) => {
  const res = await fetch(`${ctx.sandbox.url}${path}`, body ? { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) } : {});
  return (await res.json()) as Record<string, any>;
};

describe('WeChat Pay partner mode against the sandbox', () => {
  it('JSAPI: prepay for the sub-merchant with the payer under the provider’s app, paySign by the provider’s key', async () => {
    const a = channelFor(subA!);
    const no = tradeNo();
    const params = await a.createJsapi(trade(no), 'oProviderPayer0001');
    if (params.channel !== 'wechat') throw new Error('not wechat');
    const key = createPublicKey(ctx.keys.wechat.merchantCertificate);
    expect(verifySha256Rsa(key, paySignMessage(ctx.keys.wechat.appId, params.timeStamp, params.nonceStr, params.package), params.paySign)).toBe(true);
    const seen = (await sandbox(`/sandbox/wechat/trades/${no}`)).trade;
    expect(seen).toMatchObject({ sp_appid: ctx.keys.wechat.appId, sp_mchid: ctx.keys.wechat.mchId, sub_mchid: subA, payer: { sp_openid: 'oProviderPayer0001' } });
    expect(seen.appid).toBeUndefined();
    expect(await a.query(no)).toMatchObject({ state: 'pending', merchantNo: ctx.keys.wechat.mchId, subMerchantNo: subA });
  });

  it('a sub-merchant sees only its own trades: another’s query and refund query find nothing, and its refund is refused', async () => {
    const a = channelFor(subA!);
    const b = channelFor(subB!);
    const no = tradeNo();
    const { codeUrl } = await a.createQr(trade(no));
    expect((await b.query(no)).state).toBe('not_found');
    await sandbox('/sandbox/wechat/pay', { codeUrl });
    const paid = await a.query(no);
    expect(paid).toMatchObject({ state: 'succeeded', amountFen: 1200, subMerchantNo: subA });
    const refusedRefund = await b.refund({ outTradeNo: no, outRefundNo: `R${no}`, refundFen: 100, totalFen: 1200, reason: '退货', notifyUrl: 'https://example.invalid/notify' });
    expect(refusedRefund.state).toBe('failed');
    const refund = await a.refund({ outTradeNo: no, outRefundNo: `R${no}`, refundFen: 100, totalFen: 1200, reason: '退货', notifyUrl: 'https://example.invalid/notify' });
    expect(['pending', 'succeeded']).toContain(refund.state);
    expect((await b.queryRefund(`R${no}`, no)).state).toBe('not_found');
    expect((await a.queryRefund(`R${no}`, no)).outRefundNo).toBe(`R${no}`);
  });

  it('payment code through the partner codepay, and the reverse of one still being confirmed', async () => {
    const a = channelFor(subA!);
    const ok = await sandbox('/sandbox/paycodes', { channel: 'wechat', behaviour: 'success' });
    const paid = await a.payWithCode({ outTradeNo: tradeNo(), amountFen: 800, description: '别家小店 付款码' }, ok.code);
    expect(paid).toMatchObject({ state: 'succeeded', subMerchantNo: subA });
    const slow = await sandbox('/sandbox/paycodes', { channel: 'wechat', behaviour: 'userpaying', afterQueries: 100 });
    const no = tradeNo();
    expect((await a.payWithCode({ outTradeNo: no, amountFen: 800, description: '别家小店 付款码' }, slow.code)).state).toBe('pending');
    await a.cancel(no, 'code');
    expect((await a.query(no)).state).toBe('closed');
  });

  it('an unknown sub-merchant is refused by the platform, and a direct binding by a partner deployment', async () => {
    await expect(channelFor('1999999999').createQr(trade(tradeNo()))).rejects.toThrow(/INVALID_REQUEST/);
    expect(() => createWechatPayChannel(config(), { channel: 'wechat', mode: 'direct' })).toThrow(/服务商模式/);
  });
});
