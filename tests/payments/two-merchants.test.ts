import { createPrivateKey } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';
import { seedOtherMerchant } from '../_support/other-merchant';
import { findSku, orderId } from '../_support/selling';
import { callSandbox, until } from '../_support/sandbox-client';
import { checkoutResponse } from '../../shared/api/orders';
import { paymentResponse } from '../../shared/api/payments';
import { paymentAccountsResponse } from '../../shared/api/payment-accounts';
import { billDownloadResponse } from '../../shared/api/reconcile';
import { newId } from '../../shared/ids';
import { businessDate } from '../../api/_kernel/clock';
import { runSplitJobs } from '../../api/_split/split.service';
import { feeFen } from '../../tools/sandbox/bill-day';
import { notificationBody, platformSignatureHeaders } from '../../tools/sandbox/wechat-pay-signing';
import { sandbox_wechat_sub_mchids } from '../../tools/sandbox/wechat-pay';
import { wechatBill, type GenLine } from '../../tools/bills/writer';
import { sandboxEnv } from '../../tools/sandbox/env';
import { channelRegistry } from '../../api/_payments/registry';
import { createWechatPayChannel } from '../../api/_payments/wechat/channel';
import { readWechatPayConfig } from '../../api/_payments/wechat/config';
import { createAlipayChannel } from '../../api/_payments/alipay/channel';
import { readAlipayPayConfig } from '../../api/_payments/alipay/config';

/**
 * Two shops on one service-provider deployment (#18, WECHATPAY_MODE=partner):
 * each owner enters its own sub-merchant number, each shop takes WeChat
 * payments (QR), splits one and refunds part of another on the same day,
 * and the next morning each shop's bill is fetched for its own sub-merchant.
 * Neither sees the other's trades (no missing_in_system of the other's),
 * each is booked the fees of its own lines only, a notification naming the
 * other shop's sub-merchant is refused, and a hand-uploaded bill of the
 * other shop is refused.
 */

const CRON = { authorization: 'Bearer test-cron-secret' };
const [subA, subB, subSpare] = sandbox_wechat_sub_mchids;
const landlord = '1900000301';

interface Shop {
  name: 'A' | 'B';
  merchantId: string;
  storeId: string;
  owner: string;
  subMchid: string;
  skuId: string;
  priceFen: number;
  payments: string[];
}

for (const target of dbTargets()) {
  describe.skipIf(!target.available)(`two merchants on one service-provider deployment on ${target.name}`, () => {
    let api: TestApi;
    const shops = {} as Record<'A' | 'B', Shop>;
    const day = businessDate(new Date());
    const after10 = new Date(Date.parse(`${day}T00:00:00+08:00`) + 86_400_000 + 10.5 * 3_600_000);

    const sandbox = (path: string, body?: unknown) => callSandbox(api.sandbox.url, path, body);
    const status = async (paymentId: string) => (await api.deps.db.selectFrom('payments').select('status').where('id', '=', paymentId).executeTakeFirstOrThrow()).status;

    beforeAll(async () => {
      // The real adapters on the API's clock (the next morning's download moves it, and the sandbox's, forward together).
      const clock = () => api.deps.clock();
      const env = () => ({ ...sandboxEnv(api.keys, api.sandbox.url), WECHATPAY_MODE: 'partner' });
      const payments = channelRegistry(
        { wechat: (binding) => createWechatPayChannel(readWechatPayConfig(env()), binding, { clock }), alipay: () => createAlipayChannel(readAlipayPayConfig(env()), { clock }) },
        { wechatMode: 'partner' },
      );
      api = await startTestApi(target, { http: true, env: { WECHATPAY_MODE: 'partner' }, payments });
      const other = await seedOtherMerchant(api.deps.db);
      const ownerA = await api.staffToken('o_demo_owner');
      const ownerB = await api.staffToken('o_other_owner');
      const skuA = await findSku(api, ownerA, 'wlj');
      const skuB = await api.deps.db.selectFrom('skus').select(['id', 'retail_price_fen']).where('merchant_id', '=', other.merchantId).executeTakeFirstOrThrow();
      // The second shop's tea on its shelf, so its orders can hold stock.
      await api.deps.db.insertInto('stock_levels').values({ merchant_id: other.merchantId, store_id: other.storeId, sku_id: skuB.id, on_hand: 100 }).execute();
      shops.A = { name: 'A', merchantId: api.seed.merchantId, storeId: api.seed.storeIds.DEMO01!, owner: ownerA, subMchid: subA, skuId: skuA.id, priceFen: skuA.retailPriceFen, payments: [] };
      shops.B = { name: 'B', merchantId: other.merchantId, storeId: other.storeId, owner: ownerB, subMchid: subB, skuId: skuB.id, priceFen: skuB.retail_price_fen, payments: [] };
      await sandbox('/sandbox/notifications/control', { mode: 'normal', retryScale: 0.0001 });
      await sandbox('/sandbox/wechat/split-settings', { splitAfterMs: 0, failAccounts: [] });
    });
    afterAll(async () => api?.stop());

    async function order(shop: Shop) {
      const res = await api.call('POST', '/api/orders', { token: shop.owner, body: { clientOrderId: orderId(), storeId: shop.storeId, lines: [{ skuId: shop.skuId, qty: 2 }], tenders: [], expectedTotalFen: shop.priceFen * 2, awaitPayment: true } });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return checkoutResponse.parse(res.body).order;
    }
    const payQr = (shop: Shop, orderIdValue: string) => api.call('POST', `/api/orders/${orderIdValue}/payments`, { token: shop.owner, body: { clientPaymentId: newId('payment'), mode: 'qr', channel: 'wechat' } });

    it('takes no platform payment until the owner has entered the sub-merchant number; cash still works', async () => {
      for (const shop of [shops.A, shops.B]) {
        const o = await order(shop);
        const res = await payQr(shop, o.id);
        expect(res.status).toBe(409);
        expect(res.body.error.message).toMatch(/未开通微信支付/);
        expect(await api.deps.db.selectFrom('payments').select('id').where('order_id', '=', o.id).execute()).toEqual([]);
        const accounts = paymentAccountsResponse.parse((await api.call('GET', '/api/merchant/payment-accounts', { token: shop.owner })).body);
        expect(accounts.deployment.wechatMode).toBe('partner');
        expect(accounts.wechat).toMatchObject({ takesPayments: false, reason: expect.stringMatching(/特约商户号/) });
      }
      const cash = await api.call('POST', '/api/orders', { token: shops.B.owner, body: { clientOrderId: orderId(), storeId: shops.B.storeId, lines: [{ skuId: shops.B.skuId, qty: 1 }], tenders: [{ method: 'cash', amountFen: shops.B.priceFen }], expectedTotalFen: shops.B.priceFen } });
      expect(cash.status, JSON.stringify(cash.body)).toBe(201);
    });

    it('each owner enters its own sub-merchant number; one already held is refused without naming its holder; only the owner may set it', async () => {
      for (const shop of [shops.A, shops.B]) {
        const res = await api.call('PUT', '/api/merchant/payment-accounts/wechat', { token: shop.owner, body: { subMchid: shop.subMchid } });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        expect(paymentAccountsResponse.parse(res.body).wechat).toMatchObject({ mode: 'partner', status: 'active', subMchid: shop.subMchid, takesPayments: true, reason: null });
      }
      const taken = await api.call('PUT', '/api/merchant/payment-accounts/wechat', { token: shops.B.owner, body: { subMchid: subA } });
      expect(taken.status).toBe(409);
      expect(taken.body.error.message).toMatch(/已被其他商户使用/);
      expect(JSON.stringify(taken.body)).not.toContain(shops.A.merchantId);
      expect(JSON.stringify(taken.body)).not.toContain('柜台演示');
      expect((await api.call('PUT', '/api/merchant/payment-accounts/wechat', { token: shops.A.owner, body: { subMchid: '12ab' } })).status).toBe(400);
      const manager = await api.staffToken('o_demo_manager');
      expect((await api.call('PUT', '/api/merchant/payment-accounts/wechat', { token: manager, body: { subMchid: subSpare } })).status).toBe(403);
      expect((await api.call('GET', '/api/merchant/payment-accounts', { token: manager })).status).toBe(200);
      const audited = await api.deps.db.selectFrom('audit_log').select(['merchant_id', 'detail']).where('action', '=', 'payment_account.wechat_sub_merchant').execute();
      expect(audited.map((a) => a.merchant_id).sort()).toEqual([shops.A.merchantId, shops.B.merchantId].sort());
      const detailA = audited.find((a) => a.merchant_id === shops.A.merchantId)!.detail as { before: { mode: string } | null; after: { sub_mchid: string } };
      expect(detailA.before?.mode).toBe('direct');
      expect(detailA.after.sub_mchid).toBe(subA);
    });

    it('both take WeChat payments under their own sub-merchant, split one and refund part of another on the same day', async () => {
      const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
      for (const shop of [shops.A, shops.B]) {
        const rule = await api.call('POST', '/api/split/rules', {
          token: shop.owner,
          body: { clientRuleId: newId('splitRule'), storeId: shop.storeId, effectiveFrom: today, receivers: [{ name: '商场管理有限公司', kind: 'landlord', channel: 'wechat', accountType: 'MERCHANT_ID', account: landlord, description: '租金分成', bp: 1000 }] },
        });
        expect(rule.status, JSON.stringify(rule.body)).toBe(201);
        for (let i = 0; i < 2; i++) {
          const o = await order(shop);
          const res = await payQr(shop, o.id);
          expect(res.status, JSON.stringify(res.body)).toBe(201);
          const p = paymentResponse.parse(res.body).payment;
          const atPlatform = await sandbox(`/sandbox/wechat/trades/${p.id}`);
          // The trade is the sub-merchant's at the platform, placed by the provider.
          expect(atPlatform.json.trade).toMatchObject({ sp_mchid: api.keys.wechat.mchId, sub_mchid: shop.subMchid });
          expect((await sandbox('/sandbox/wechat/pay', { codeUrl: p.codeUrl })).status).toBe(200);
          await until('the notification', async () => ((await status(p.id)) === 'succeeded' ? true : undefined));
          shop.payments.push(p.id);
        }
      }
      // Splits: past the first minute, each payment split under its own sub-merchant.
      api.setNow(new Date(Date.now() + 65_000));
      const swept = await runSplitJobs(api.deps);
      expect(swept).toMatchObject({ calculated: 4, requested: 4, finished: 4 });
      api.setNow(null as unknown as Date);
      for (const shop of [shops.A, shops.B]) {
        const splits = await api.deps.db.selectFrom('payment_splits').select(['merchant_id', 'status', 'split_fen']).where('payment_id', 'in', shop.payments).execute();
        expect(splits.map((s) => [s.merchant_id, s.status])).toEqual(shop.payments.map(() => [shop.merchantId, 'unfrozen']));
      }
      // A refund of one unit of each shop's second payment (its split comes back first).
      for (const shop of [shops.A, shops.B]) {
        const paymentId = shop.payments[1]!;
        const view = paymentResponse.parse((await api.call('GET', `/api/payments/${paymentId}`, { token: shop.owner })).body);
        const line = view.order.lines[0]!;
        const ret = await api.call('POST', '/api/returns', { token: shop.owner, body: { clientReturnId: newId('return'), orderId: view.order.id, reason: '质量问题', lines: [{ orderLineId: line.id, qty: 1 }] } });
        expect(ret.status, JSON.stringify(ret.body)).toBe(201);
        await until('the refund', async () => {
          const r = await api.deps.db.selectFrom('platform_refunds').select('status').where('payment_id', '=', paymentId).executeTakeFirst();
          return r?.status === 'succeeded' ? true : undefined;
        });
      }
    });

    it('refuses a notification that names the other shop’s sub-merchant, and changes nothing', async () => {
      const o = await order(shops.A);
      const p = paymentResponse.parse((await payQr(shops.A, o.id)).body).payment;
      const trade = (await sandbox(`/sandbox/wechat/trades/${p.id}`)).json.trade as Record<string, unknown>;
      const forged = { ...trade, sub_mchid: shops.B.subMchid, trade_state: 'SUCCESS', trade_state_desc: '支付成功', transaction_id: '4200000000000000000000000001', success_time: new Date().toISOString() };
      const now = Date.now();
      const body = notificationBody('TRANSACTION.SUCCESS', forged, api.keys.wechat.apiV3Key, now);
      const headers = platformSignatureHeaders(body, { privateKey: createPrivateKey(api.keys.wechat.platformPrivateKey), serial: api.keys.wechat.platformPublicKeyId }, now);
      const res = await api.call('POST', '/api/pay/wechat/notify', { rawBody: body, headers: { 'content-type': 'application/json', ...headers } });
      expect(res.status).toBeLessThan(300);
      expect(await status(p.id)).toBe('pending');
      const logged = await api.deps.db.selectFrom('payment_notifications').select(['outcome', 'merchant_id']).where('out_trade_no', '=', p.id).execute();
      expect(logged).toEqual([{ outcome: 'wrong_merchant', merchant_id: shops.A.merchantId }]);
      // The platform says it is not paid: the attempt is closed so it does not reach the bill.
      expect((await api.call('POST', `/api/orders/${o.id}/cancel`, { token: shops.A.owner, body: { clientCancelId: newId('orderCancel'), reason: 'customer_left' } })).status).toBeLessThan(300);
    });

    it('the next morning each shop’s bill holds only its own lines, neither lists the other’s trades, and fees are booked per shop', async () => {
      api.setNow(after10);
      expect((await sandbox('/sandbox/clock', { at: after10.toISOString() })).status).toBe(200);
      const cron = await api.call('GET', '/api/cron/reconcile', { headers: CRON });
      expect(cron.status).toBe(200);
      const wechatDownloads = cron.body.downloads.filter((d: { channel: string }) => d.channel === 'wechat');
      expect(wechatDownloads.map((d: { merchantId: string; outcome: string }) => [d.merchantId, d.outcome]).sort(), JSON.stringify(wechatDownloads)).toEqual(
        [[shops.A.merchantId, 'reconciled'], [shops.B.merchantId, 'reconciled']].sort(),
      );
      for (const shop of [shops.A, shops.B]) {
        const other = shop === shops.A ? shops.B : shops.A;
        const bill = await api.deps.db.selectFrom('reconcile_bills').selectAll().where('merchant_id', '=', shop.merchantId).where('channel', '=', 'wechat').where('bill_date', '=', day).executeTakeFirstOrThrow();
        const lines = await api.deps.db.selectFrom('reconcile_bill_lines').select(['kind', 'out_no', 'out_trade_no']).where('bill_key', '=', bill.line_key).execute();
        // Two payments and one refund, all its own.
        expect(lines.length).toBe(3);
        for (const l of lines) expect(shop.payments).toContain(l.kind === 'payment' ? l.out_no : l.out_trade_no);
        const run = await api.deps.db.selectFrom('reconcile_runs').selectAll().where('merchant_id', '=', shop.merchantId).where('channel', '=', 'wechat').where('bill_date', '=', day).where('status', '=', 'done').executeTakeFirstOrThrow();
        expect(run.counts).toEqual({ matched: 3 });
        const items = await api.deps.db.selectFrom('reconcile_items').select(['out_no', 'class']).where('run_id', '=', run.id).execute();
        expect(items.filter((i) => other.payments.includes(i.out_no))).toEqual([]);
        // Fees of its own lines: the sandbox's 0.6 % on each payment, given back in part on the refund.
        const payments = await api.deps.db.selectFrom('payments').select('amount_fen').where('id', 'in', shop.payments).execute();
        const refunds = await api.deps.db.selectFrom('platform_refunds').select('amount_fen').where('payment_id', 'in', shop.payments).where('status', '=', 'succeeded').execute();
        const ownFees = payments.reduce((s, p) => s + feeFen(p.amount_fen), 0) - refunds.reduce((s, r) => s + feeFen(r.amount_fen), 0);
        expect(Number(run.fee_fen)).toBe(ownFees);
        const booked = await api.deps.db.selectFrom('reconcile_postings').select((eb) => eb.fn.sum<string>('amount_fen').as('fen')).where('merchant_id', '=', shop.merchantId).where('kind', '=', 'fees').executeTakeFirstOrThrow();
        expect(Number(booked.fen)).toBe(ownFees);
      }
    });

    it('refuses a hand-uploaded bill of the other shop with a clear 4xx, and stores nothing', async () => {
      const manager = await api.staffToken('o_demo_manager');
      const billsBefore = (await api.deps.db.selectFrom('reconcile_bills').select('id').execute()).length;
      const line: GenLine = { kind: 'payment', outNo: shops.B.payments[0]!, outTradeNo: shops.B.payments[0]!, amountFen: 100, feeFen: 1, at: new Date(Date.parse(`${day}T12:00:00+08:00`)), status: 'SUCCESS', platformNo: '4200000000000000000000000002', subMchid: shops.B.subMchid };
      const ids = { appId: api.keys.wechat.appId, mchId: api.keys.wechat.mchId };
      const upload = (text: string) =>
        api.app.request(`/api/reconcile/bills?channel=wechat&date=${day}`, { method: 'POST', headers: { authorization: `Bearer ${manager}`, 'content-type': 'application/octet-stream' }, body: new TextEncoder().encode(text) as unknown as BodyInit });
      const foreign = await upload(wechatBill([line], ids));
      expect(foreign.status).toBe(400);
      expect(((await foreign.json()) as { error: { message: string } }).error.message).toMatch(/不属于本商户/);
      // A direct merchant's bill (特约商户号 0) is not this sub-merchant's either.
      const direct = await upload(wechatBill([{ ...line, subMchid: undefined } as GenLine], ids));
      expect(direct.status).toBe(400);
      expect((await api.deps.db.selectFrom('reconcile_bills').select('id').execute()).length).toBe(billsBefore);
      // The shop's own bill, fetched again by hand, is still its own.
      const own = await api.call('POST', '/api/reconcile/downloads', { token: manager, body: { channel: 'wechat', date: day } });
      expect(own.status, JSON.stringify(own.body)).toBeLessThan(300);
      expect(billDownloadResponse.parse(own.body).outcome).toMatch(/reconciled/);
    });
  });
}
