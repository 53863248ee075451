import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';
import { checkInvariants, findSku, invariantsHold, orderId } from '../_support/selling';
import { checkoutResponse } from '../../shared/api/orders';
import { paymentResponse } from '../../shared/api/payments';
import { newId } from '../../shared/ids';
import { runSplitJobs } from '../../api/_split/split.service';
import { callSandbox, until } from '../_support/sandbox-client';

/**
 * Alipay royalty (商家分账) end to end, through the real adapter and the
 * sandbox gateway: a rule for the store, an Alipay QR payment placed with
 * royalty_freeze, the sweep splitting it a minute later (the sandbox first
 * says too early), one receiver failing, the rest released with
 * royalty_finish, and a return whose refund takes the split back from the
 * receiver inside the refund (refund_royalty_parameters). Alipay's cap and
 * account rules are refused when the rule is saved.
 */


const landlord = '2088000000000201';
const brand = 'brand@example.com';

for (const target of dbTargets()) {
  describe.skipIf(!target.available)(`Alipay royalty through the sandbox on ${target.name}`, () => {
    let api: TestApi;
    let owner: string;
    let assistant: string;
    let storeId: string;
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    const landlordLine = { name: '万达广场管理有限公司', kind: 'landlord', channel: 'alipay', accountType: 'userId', account: landlord, description: '租金分成' };
    const brandLine = { name: '品牌方有限公司', kind: 'brand', channel: 'alipay', accountType: 'loginName', account: brand, description: '品牌分成' };

    beforeAll(async () => {
      api = await startTestApi(target, { http: true });
      owner = await api.staffToken('o_demo_owner');
      assistant = await api.staffToken('o_demo_assistant_1');
      storeId = api.seed.storeIds.DEMO01!;
      await sandbox('/sandbox/notifications/control', { mode: 'normal', retryScale: 0.0001 });
    });
    afterAll(async () => api?.stop());

    const sandbox = (path: string, body?: unknown) => callSandbox(api.sandbox.url, path, body);

    it("refuses rules over Alipay's cap or with accounts Alipay cannot pay, with a 400 naming the limit, and writes nothing", async () => {
      const count = async () => Number((await api.deps.db.selectFrom('split_rules').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
      const before = await count();
      const rule = (receivers: unknown[]) => ({ clientRuleId: newId('splitRule'), storeId, effectiveFrom: today, receivers });
      const cases: [string, unknown, RegExp][] = [
        ['one past the cap', rule([{ ...landlordLine, bp: 2000 }, { ...brandLine, bp: 1001 }]), /30%.*alipay_split_cap_bp/],
        ['a user id that is not 2088 + 12 digits', rule([{ ...landlordLine, account: '2088123', bp: 100 }]), /支付宝用户号/],
        ['a login name that is neither mail nor mobile', rule([{ ...brandLine, account: 'brand', bp: 100 }]), /登录账号/],
        ['a WeChat account type', rule([{ ...landlordLine, accountType: 'MERCHANT_ID', bp: 100 }]), /账号类型/],
      ];
      for (const [name, body, message] of cases) {
        const res = await api.call('POST', '/api/split/rules', { token: owner, body });
        expect(res.status, `${name}: ${JSON.stringify(res.body)}`).toBe(400);
        expect(res.body.error.message, name).toMatch(message);
      }
      expect(await count()).toBe(before);
      // Exactly at the cap is accepted.
      const atCap = await api.call('POST', '/api/split/rules', { token: owner, body: rule([{ ...landlordLine, bp: 2000 }, { ...brandLine, bp: 1000 }]) });
      expect(atCap.status, JSON.stringify(atCap.body)).toBe(201);
    });

    it('an Alipay payment under a rule → split after a minute (one receiver failing) → remainder released → a refund takes the split back first', async () => {
      await sandbox('/sandbox/alipay/split-settings', { splitAfterMs: 60_000, failAccounts: [brand] });
      const sku = await findSku(api, assistant, 'wlj');
      const created = await api.call('POST', '/api/orders', { token: assistant, body: { clientOrderId: orderId(), storeId, lines: [{ skuId: sku.id, qty: 2 }], tenders: [], expectedTotalFen: sku.retailPriceFen * 2, awaitPayment: true } });
      expect(created.status).toBe(201);
      const order = checkoutResponse.parse(created.body).order;
      const payRes = await api.call('POST', `/api/orders/${order.id}/payments`, { token: assistant, body: { clientPaymentId: newId('payment'), mode: 'qr', channel: 'alipay' } });
      expect(payRes.status, JSON.stringify(payRes.body)).toBe(201);
      const p = paymentResponse.parse(payRes.body).payment;
      expect((await sandbox('/sandbox/alipay/pay', { qrCode: p.codeUrl })).status).toBe(200);
      const paid = await until('the payment', async () => {
        const row = await api.deps.db.selectFrom('payments').selectAll().where('id', '=', p.id).executeTakeFirstOrThrow();
        return row.status === 'succeeded' ? row : undefined;
      });
      expect(paid.profit_sharing).toBe(true);
      const tradeNo = paid.platform_trade_no!;
      const atAlipay = async () => (await sandbox(`/sandbox/alipay/splits/${tradeNo}`)).json;
      const total = paid.amount_fen;
      expect(await atAlipay()).toMatchObject({ royaltyFreeze: true, frozenFen: total, splitOutFen: 0 });

      expect((await runSplitJobs(api.deps)).calculated).toBe(0);
      api.setNow(new Date(Date.now() + 65_000));
      try {
        // Past a minute on our clock; the sandbox, on its own clock, says it is too early: logged, tried again later.
        expect(await runSplitJobs(api.deps)).toMatchObject({ calculated: 1, failed: 1 });
        const early = await api.deps.db.selectFrom('payment_splits').selectAll().where('payment_id', '=', p.id).executeTakeFirstOrThrow();
        expect(early.status).toBe('calculated');
        expect(early.last_error).toContain('交易处理中');

        await sandbox('/sandbox/alipay/split-settings', { splitAfterMs: 0 });
        expect(await runSplitJobs(api.deps)).toMatchObject({ requested: 1, finished: 1, unfrozen: 1 });
        expect(await runSplitJobs(api.deps)).toMatchObject({ calculated: 0, requested: 0, finished: 0, unfrozen: 0, returned: 0 });
      } finally {
        api.setNow(null as unknown as Date);
      }

      const split = await api.deps.db.selectFrom('payment_splits').selectAll().where('payment_id', '=', p.id).executeTakeFirstOrThrow();
      expect(split.status).toBe('unfrozen');
      const landlordFen = Math.floor((total * 2000) / 10000);
      const brandFen = Math.floor((total * 3000) / 10000) - landlordFen;
      expect([Number(split.split_fen), Number(split.retained_fen)]).toEqual([landlordFen + brandFen, total - landlordFen - brandFen]);
      const parts = await api.deps.db.selectFrom('payment_split_parts').innerJoin('split_receivers', 'split_receivers.id', 'payment_split_parts.receiver_id').select(['split_receivers.account', 'payment_split_parts.amount_fen', 'payment_split_parts.status', 'payment_split_parts.fail_reason']).where('split_id', '=', split.id).orderBy('line_no').execute();
      expect(parts.map((x) => [x.account, Number(x.amount_fen), x.status, x.fail_reason])).toEqual([
        [landlord, landlordFen, 'success', null],
        [brand, brandFen, 'closed', 'SANDBOX_FAIL_ACCOUNT 沙箱设定该收入方分账失败'],
      ]);
      expect((await api.deps.db.selectFrom('owner_alerts').select('kind').where('subject_id', '=', split.id).execute()).map((a) => a.kind)).toContain('split_failed');
      // The platform's books and ours agree: only the landlord's part left, the rest released.
      const after = await atAlipay();
      expect(after).toMatchObject({ finished: true, frozenFen: 0, splitOutFen: landlordFen, merchantHeldFen: total - landlordFen });
      expect(after.settles.map((s: any) => [s.outRequestNo, s.finish])).toEqual([[split.id, false], [`${split.id}_U`, true]]);
      expect(after.settles[0].details.map((d: any) => [d.trans_in, d.amount, d.state])).toEqual([
        [landlord, (landlordFen / 100).toFixed(2), 'SUCCESS'],
        [brand, (brandFen / 100).toFixed(2), 'FAIL'],
      ]);
      // Once finished, Alipay splits nothing more from the trade.
      const log0 = await api.call('GET', `/api/split/log?paymentId=${p.id}`, { token: owner });
      expect((log0.body.items as any[]).find((e) => e.event === 'unfreeze').amountFen).toBe(total - landlordFen);

      // The whole order comes back. The merchant holds less than the refund; the landlord's part rides inside it.
      const manager = await api.staffToken('o_demo_manager');
      const lines = paymentResponse.parse((await api.call('GET', `/api/payments/${p.id}`, { token: assistant })).body).order.lines;
      const ret = await api.call('POST', '/api/returns', { token: manager, body: { clientReturnId: newId('return'), orderId: order.id, reason: '质量问题', lines: lines.map((l) => ({ orderLineId: l.id, qty: l.qty })) } });
      expect(ret.status, JSON.stringify(ret.body)).toBe(201);
      const refund = await until('the refund', async () => {
        const r = await api.deps.db.selectFrom('platform_refunds').selectAll().where('payment_id', '=', p.id).executeTakeFirst();
        return r && (r.status === 'succeeded' || r.status === 'failed') ? r : undefined;
      });
      expect([refund.status, refund.amount_fen], JSON.stringify(refund)).toEqual(['succeeded', total]);
      const settledAtAlipay = await atAlipay();
      expect(settledAtAlipay).toMatchObject({ returnedFen: landlordFen, refundedFen: total, merchantHeldFen: 0 });
      expect(settledAtAlipay.returns.map((r: any) => [r.transOut, r.amountFen, r.outRequestNo])).toEqual([[landlord, landlordFen, refund.out_refund_no]]);

      expect(await runSplitJobs(api.deps)).toMatchObject({ returned: 1 });
      expect(await runSplitJobs(api.deps)).toMatchObject({ returned: 0 });
      const landlordPart = await api.deps.db.selectFrom('payment_split_parts').select('return_status').where('split_id', '=', split.id).where('line_no', '=', 0).executeTakeFirstOrThrow();
      expect(landlordPart.return_status).toBe('success');

      const log = await api.call('GET', `/api/split/log?paymentId=${p.id}`, { token: owner });
      expect((log.body.items as any[]).map((e) => [e.event, e.status, e.receiverId === null ? null : e.receiverName, e.amountFen])).toEqual([
        ['calculated', null, null, landlordFen + brandFen],
        ['requested', null, null, landlordFen + brandFen],
        ['request_failed', 'error', null, null],
        ['requested', null, null, landlordFen + brandFen],
        ['result', 'success', '万达广场管理有限公司', landlordFen],
        ['result', 'closed', '品牌方有限公司', brandFen],
        ['unfreeze', 'finished', null, total - landlordFen],
        ['return', 'requested', '万达广场管理有限公司', landlordFen],
        ['return', 'success', '万达广场管理有限公司', landlordFen],
      ]);
      expect(await checkInvariants(api)).toEqual(invariantsHold);
    }, 90_000);

    it('a payment refunded in full before its split is never split, and nothing is left frozen to release', async () => {
      await sandbox('/sandbox/alipay/split-settings', { splitAfterMs: 0, failAccounts: [] });
      const sku = await findSku(api, assistant, 'wlj');
      const created = await api.call('POST', '/api/orders', { token: assistant, body: { clientOrderId: orderId(), storeId, lines: [{ skuId: sku.id, qty: 1 }], tenders: [], expectedTotalFen: sku.retailPriceFen, awaitPayment: true } });
      const order = checkoutResponse.parse(created.body).order;
      const p = paymentResponse.parse((await api.call('POST', `/api/orders/${order.id}/payments`, { token: assistant, body: { clientPaymentId: newId('payment'), mode: 'qr', channel: 'alipay' } })).body).payment;
      await sandbox('/sandbox/alipay/pay', { qrCode: p.codeUrl });
      const paid = await until('the payment', async () => {
        const row = await api.deps.db.selectFrom('payments').selectAll().where('id', '=', p.id).executeTakeFirstOrThrow();
        return row.status === 'succeeded' ? row : undefined;
      });
      expect(paid.profit_sharing).toBe(true);
      const manager = await api.staffToken('o_demo_manager');
      const lines = paymentResponse.parse((await api.call('GET', `/api/payments/${p.id}`, { token: assistant })).body).order.lines;
      const ret = await api.call('POST', '/api/returns', { token: manager, body: { clientReturnId: newId('return'), orderId: order.id, reason: '不想要了', lines: lines.map((l) => ({ orderLineId: l.id, qty: l.qty })) } });
      expect(ret.status, JSON.stringify(ret.body)).toBe(201);
      await until('the refund', async () => {
        const r = await api.deps.db.selectFrom('platform_refunds').select('status').where('payment_id', '=', p.id).executeTakeFirst();
        return r?.status === 'succeeded' ? r : undefined;
      });
      api.setNow(new Date(Date.now() + 65_000));
      try {
        expect(await runSplitJobs(api.deps)).toMatchObject({ calculated: 1, requested: 0, unfrozen: 1 });
      } finally {
        api.setNow(null as unknown as Date);
      }
      const log = await api.call('GET', `/api/split/log?paymentId=${p.id}`, { token: owner });
      expect((log.body.items as any[]).map((e) => [e.event, e.status, e.amountFen])).toEqual([['cancelled', null, 0], ['unfreeze', 'nothing_frozen', 0]]);
      // Nothing was asked of Alipay: the refund closed the trade and left nothing frozen.
      expect((await sandbox(`/sandbox/alipay/splits/${paid.platform_trade_no}`)).json).toMatchObject({ finished: false, frozenFen: 0, splitOutFen: 0, settles: [], refundedFen: paid.amount_fen });
    }, 60_000);

    it('refunds smaller than the split take back only what they refund, in rule order, and the next refund takes the rest', async () => {
      await sandbox('/sandbox/alipay/split-settings', { splitAfterMs: 0, failAccounts: [brand] });
      const sku = await findSku(api, assistant, 'wlj');
      const qty = 10;
      const created = await api.call('POST', '/api/orders', { token: assistant, body: { clientOrderId: orderId(), storeId, lines: [{ skuId: sku.id, qty }], tenders: [], expectedTotalFen: sku.retailPriceFen * qty, awaitPayment: true } });
      const order = checkoutResponse.parse(created.body).order;
      const p = paymentResponse.parse((await api.call('POST', `/api/orders/${order.id}/payments`, { token: assistant, body: { clientPaymentId: newId('payment'), mode: 'qr', channel: 'alipay' } })).body).payment;
      await sandbox('/sandbox/alipay/pay', { qrCode: p.codeUrl });
      const paid = await until('the payment', async () => {
        const row = await api.deps.db.selectFrom('payments').selectAll().where('id', '=', p.id).executeTakeFirstOrThrow();
        return row.status === 'succeeded' ? row : undefined;
      });
      api.setNow(new Date(Date.now() + 65_000));
      try {
        expect(await runSplitJobs(api.deps)).toMatchObject({ calculated: 1, requested: 1, finished: 1, unfrozen: 1 });
      } finally {
        api.setNow(null as unknown as Date);
      }
      const total = paid.amount_fen;
      const unitFen = total / qty;
      const landlordFen = Math.floor((total * 2000) / 10000);
      expect(unitFen).toBeLessThan(landlordFen);

      const manager = await api.staffToken('o_demo_manager');
      const [line] = paymentResponse.parse((await api.call('GET', `/api/payments/${p.id}`, { token: assistant })).body).order.lines;
      const giveBack = async (n: number) => {
        const ret = await api.call('POST', '/api/returns', { token: manager, body: { clientReturnId: newId('return'), orderId: order.id, reason: '退一部分', lines: [{ orderLineId: line!.id, qty: n }] } });
        expect(ret.status, JSON.stringify(ret.body)).toBe(201);
        return until('the refund', async () => {
          const rows = await api.deps.db.selectFrom('platform_refunds').selectAll().where('payment_id', '=', p.id).orderBy('created_at', 'desc').execute();
          const r = rows.find((x) => x.return_id === ret.body.return.id);
          return r && (r.status === 'succeeded' || r.status === 'failed') ? r : undefined;
        });
      };
      const first = await giveBack(1);
      expect([first.status, first.amount_fen]).toEqual(['succeeded', unitFen]);
      expect(await runSplitJobs(api.deps)).toMatchObject({ returned: 1 });
      const part = () => api.deps.db.selectFrom('payment_split_parts').select('return_status').where('split_id', '=', `spl_${p.id.slice(4)}`).where('line_no', '=', 0).executeTakeFirstOrThrow();
      expect((await part()).return_status).toBeNull();
      expect((await sandbox(`/sandbox/alipay/splits/${paid.platform_trade_no}`)).json).toMatchObject({ returnedFen: unitFen, refundedFen: unitFen });

      const rest = await giveBack(qty - 1);
      expect([rest.status, rest.amount_fen]).toEqual(['succeeded', total - unitFen]);
      expect(await runSplitJobs(api.deps)).toMatchObject({ returned: 1 });
      expect((await part()).return_status).toBe('success');
      expect((await sandbox(`/sandbox/alipay/splits/${paid.platform_trade_no}`)).json).toMatchObject({ returnedFen: landlordFen, refundedFen: total, merchantHeldFen: 0 });
      // Differential: what the log says came back equals what the platform holds as returned.
      const returns = await api.deps.db.selectFrom('split_log').select(['amount_fen', 'status', 'detail']).where('payment_id', '=', p.id).where('event', '=', 'return').orderBy('id').execute();
      expect(returns.map((r) => [r.status, Number(r.amount_fen), (r.detail as any).outRefundNo])).toEqual([
        ['requested', unitFen, first.out_refund_no],
        ['success', unitFen, first.out_refund_no],
        ['requested', landlordFen - unitFen, rest.out_refund_no],
        ['success', landlordFen - unitFen, rest.out_refund_no],
      ]);
      expect(await checkInvariants(api)).toEqual(invariantsHold);
    }, 90_000);
  });
}
