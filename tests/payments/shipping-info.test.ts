import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';
import { findSku, orderId } from '../_support/selling';
import { checkoutResponse } from '../../shared/api/orders';
import { paymentResponse } from '../../shared/api/payments';
import { newId } from '../../shared/ids';
import { callSandbox, until } from '../_support/sandbox-client';
import { pushSignature } from '../../api/_shipping/push.service';
import { shipping_retry_backoff_ms_base, shipping_upload_attempts_max } from '../../api/_shipping/limits';
import { dev_wechat_message_token } from '../../api/_kernel/config';

/**
 * WeChat shipping information (发货信息管理) against the sandbox: a
 * mini-program payment is uploaded right after it settles, failures are
 * retried by the payments cron with one outcome row per attempt, and the
 * trade-management pushes are signature-checked and recorded.
 */
const openid = 'o_demo_member_1';

for (const target of dbTargets()) describe.skipIf(!target.available)(`WeChat shipping information on ${target.name}`, () => {
  let api: TestApi;
  let assistant: string;
  let shopper: string;
  let storeId: string;
  let now = Date.now();

  beforeAll(async () => {
    api = await startTestApi(target, { http: true });
    assistant = await api.staffToken('o_demo_assistant_1');
    storeId = api.seed.storeIds.DEMO01!;
    const code = await api.loginCode('wechat', openid);
    const login = await api.call('POST', '/api/auth/shopper/login', { body: { platform: 'wechat', code, storeCode: 'DEMO01' } });
    shopper = login.body.token as string;
    await sandbox('/sandbox/notifications/control', { mode: 'normal', retryScale: 0.0001 });
  });
  afterAll(async () => api?.stop());

  const sandbox = (path: string, body?: unknown) => callSandbox(api.sandbox.url, path, body);
  const uploadsOf = (paymentId: string) => api.deps.db.selectFrom('shipping_uploads').selectAll().where('payment_id', '=', paymentId).orderBy('attempt').execute();
  /**
   * The two-minute payments cron, with the API's clock moved on so backoffs
   * have passed. The clock only moves forward, and a notification more than
   * five minutes from it is stale, so the tests that pay in the mini-program
   * run before those that move it by hours.
   */
  async function cron(advanceMs = 0) {
    now = Math.max(now, Date.now()) + advanceMs;
    api.setNow(new Date(now));
    const res = await api.call('GET', '/api/cron/payments', { headers: { authorization: 'Bearer test-cron-secret' } });
    expect(res.status).toBe(200);
    return res.body;
  }

  /** A shopper's order paid in the mini-program (JSAPI), settled by the sandbox's notification. */
  async function payInMiniProgram() {
    const sku = await findSku(api, assistant, 'wlj');
    const created = await api.call('POST', '/api/shop/orders', { token: shopper, body: { clientOrderId: orderId(), storeId, lines: [{ skuId: sku.id, qty: 1 }], expectedTotalFen: sku.memberPriceFen } });
    const order = checkoutResponse.parse(created.body).order;
    const payRes = await api.call('POST', `/api/shop/orders/${order.id}/pay`, { token: shopper, body: { clientPaymentId: newId('payment'), channel: 'wechat' } });
    const p = paymentResponse.parse(payRes.body).payment;
    const jsapi = p.jsapi!;
    if (jsapi.channel !== 'wechat') throw new Error('expected WeChat JSAPI parameters');
    await sandbox('/sandbox/wechat/pay', { prepayId: jsapi.package.replace('prepay_id=', '') });
    const paid = await until('the payment to settle', async () => {
      const row = await api.deps.db.selectFrom('payments').selectAll().where('id', '=', p.id).executeTakeFirstOrThrow();
      return row.status === 'succeeded' ? row : undefined;
    });
    return { order, payment: paid };
  }
  const firstUpload = (paymentId: string) => until('the first upload', async () => ((await uploadsOf(paymentId)).length > 0 ? uploadsOf(paymentId) : undefined));

  let shipped: Awaited<ReturnType<typeof payInMiniProgram>>;

  it('uploads a mini-program payment right after it settles, with pick-up logistics, its transaction_id and the payer', async () => {
    shipped = await payInMiniProgram();
    const rows = await firstUpload(shipped.payment.id);
    expect(rows.map((r) => [r.attempt, r.outcome, r.trigger])).toEqual([[1, 'uploaded', 'settled']]);
    const received = (await sandbox(`/sandbox/wechat/shipping?transactionId=${shipped.payment.platform_trade_no}`)).json.items;
    expect(received).toHaveLength(1);
    const body = received[0].body;
    expect(body.order_key).toEqual({ order_number_type: 2, transaction_id: shipped.payment.platform_trade_no });
    expect(body.logistics_type).toBe(4);
    expect(body.delivery_mode).toBe(1);
    expect(body.payer).toEqual({ openid });
    expect(body.shipping_list).toHaveLength(1);
    expect(body.upload_time).toMatch(/\+08:00$/);

    const owner = await api.staffToken('o_demo_owner');
    const trail = await api.call('GET', `/api/payments/${shipped.payment.id}/trail`, { token: owner });
    expect(trail.status).toBe(200);
    expect(trail.body.shipping.uploads.map((u: { outcome: string }) => u.outcome)).toEqual(['uploaded']);
    const view = await api.call('GET', `/api/shop/orders/${shipped.order.id}`, { token: shopper });
    expect(view.body.confirmReceipt).toMatchObject({ transactionId: shipped.payment.platform_trade_no, merchantTradeNo: shipped.payment.out_trade_no });
  });

  it('drops the cached access token on 40001 and uploads with a fresh one on the next attempt', async () => {
    await sandbox('/sandbox/wechat/shipping/tokens/revoke', {});
    const { payment } = await payInMiniProgram();
    expect((await firstUpload(payment.id)).map((r) => [r.outcome, r.errcode])).toEqual([['token_invalid', 40001]]);
    await cron(shipping_retry_backoff_ms_base + 1_000);
    expect((await uploadsOf(payment.id)).map((r) => r.outcome)).toEqual(['token_invalid', 'uploaded']);
  });

  it("uploads at once on WeChat's 48-hour shipping reminder", async () => {
    await sandbox('/sandbox/wechat/shipping/control', { failNext: 1, network: true });
    const { payment } = await payInMiniProgram();
    expect((await firstUpload(payment.id)).map((r) => r.outcome)).toEqual(['network_error']);
    const timestamp = String(Math.floor(now / 1000));
    const signature = pushSignature(dev_wechat_message_token, timestamp, 'remind1');
    const body = JSON.stringify({ MsgType: 'event', Event: 'trade_manage_remind_shipping', transaction_id: payment.platform_trade_no, merchant_trade_no: payment.out_trade_no, pay_time: Number(timestamp), msg: '请尽快发货' });
    const res = await api.call('POST', `/api/wechat/push?signature=${signature}&timestamp=${timestamp}&nonce=remind1`, { rawBody: body, headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(200);
    expect((await uploadsOf(payment.id)).map((r) => [r.outcome, r.trigger])).toEqual([
      ['network_error', 'settled'],
      ['uploaded', 'remind'],
    ]);
  });

  it('retries a failed upload from the cron job after its backoff, one outcome row per attempt', async () => {
    await sandbox('/sandbox/wechat/shipping/control', { failNext: 1, network: true });
    const { payment } = await payInMiniProgram();
    expect((await firstUpload(payment.id)).map((r) => r.outcome)).toEqual(['network_error']);
    await cron(); // not yet due: the backoff has not passed
    expect((await uploadsOf(payment.id)).length).toBe(1);
    await cron(shipping_retry_backoff_ms_base + 1_000);
    const rows = await uploadsOf(payment.id);
    expect(rows.map((r) => [r.attempt, r.outcome, r.trigger])).toEqual([
      [1, 'network_error', 'settled'],
      [2, 'uploaded', 'job'],
    ]);
  });

  it('records 10060001 (payment not found) with its named outcome', async () => {
    await sandbox('/sandbox/wechat/shipping/control', { failNext: 1, errcode: 10060001 });
    const { payment } = await payInMiniProgram();
    const [row] = await firstUpload(payment.id);
    expect(row).toMatchObject({ outcome: 'order_not_found', errcode: 10060001 });
    await cron(shipping_retry_backoff_ms_base + 1_000);
    expect((await uploadsOf(payment.id)).map((r) => r.outcome)).toEqual(['order_not_found', 'uploaded']);
  });

  it('raises an owner alert after the last attempt and stops trying', async () => {
    await sandbox('/sandbox/wechat/shipping/control', { failNext: 100, errcode: 10060014 });
    const { payment } = await payInMiniProgram();
    await firstUpload(payment.id);
    for (let i = 0; i < shipping_upload_attempts_max + 2; i++) await cron(3_600_000);
    await sandbox('/sandbox/wechat/shipping/control', { failNext: 0 });
    const rows = await uploadsOf(payment.id);
    expect(rows.length).toBe(shipping_upload_attempts_max);
    expect(new Set(rows.map((r) => r.outcome))).toEqual(new Set(['failed']));
    const alert = await api.deps.db.selectFrom('owner_alerts').selectAll().where('subject_id', '=', payment.id).where('kind', '=', 'shipping_upload_failed').executeTakeFirst();
    expect(alert?.message).toContain('发货信息');
  });

  it('does not upload a counter payment made with the customer’s payment code', async () => {
    const sku = await findSku(api, assistant, 'wlj');
    const res = await api.call('POST', '/api/orders', { token: assistant, body: { clientOrderId: orderId(), storeId, lines: [{ skuId: sku.id, qty: 1 }], tenders: [], expectedTotalFen: sku.retailPriceFen, awaitPayment: true } });
    const order = checkoutResponse.parse(res.body).order;
    const code = await sandbox('/sandbox/paycodes', { channel: 'wechat', behaviour: 'success' });
    const payRes = await api.call('POST', `/api/orders/${order.id}/payments`, { token: assistant, body: { clientPaymentId: newId('payment'), mode: 'code', authCode: code.json.code } });
    const p = paymentResponse.parse(payRes.body).payment;
    expect(p.status).toBe('succeeded');
    await cron(3_600_000);
    expect(await uploadsOf(p.id)).toEqual([]);
  });

  it('does not upload twice when the job runs again', async () => {
    await cron(3_600_000);
    await cron(3_600_000);
    expect((await uploadsOf(shipped.payment.id)).length).toBe(1);
    expect((await sandbox(`/sandbox/wechat/shipping?transactionId=${shipped.payment.platform_trade_no}`)).json.items).toHaveLength(1);
  });

  it('refuses a push with a bad signature, answers the handshake, and records a signed settlement push', async () => {
    const timestamp = String(Math.floor(now / 1000));
    const nonce = 'n0nce123';
    const signature = pushSignature(dev_wechat_message_token, timestamp, nonce);
    const body = JSON.stringify({ ToUserName: 'gh_sandbox', FromUserName: openid, CreateTime: Number(timestamp), MsgType: 'event', Event: 'trade_manage_order_settlement', transaction_id: shipped.payment.platform_trade_no, merchant_trade_no: shipped.payment.out_trade_no, confirm_receive_method: 1, confirm_receive_time: Number(timestamp), settlement_time: Number(timestamp) + 60 });

    const bad = await api.call('POST', `/api/wechat/push?signature=${'0'.repeat(40)}&timestamp=${timestamp}&nonce=${nonce}`, { rawBody: body, headers: { 'content-type': 'application/json' } });
    expect(bad.status).toBe(401);
    expect(await api.deps.db.selectFrom('shipping_events').selectAll().where('event', '=', 'trade_manage_order_settlement').execute()).toEqual([]);

    const handshake = await api.call('GET', `/api/wechat/push?signature=${signature}&timestamp=${timestamp}&nonce=${nonce}&echostr=hello123`);
    expect({ status: handshake.status, body: handshake.body }).toEqual({ status: 200, body: 'hello123' });

    const good = await api.call('POST', `/api/wechat/push?signature=${signature}&timestamp=${timestamp}&nonce=${nonce}`, { rawBody: body, headers: { 'content-type': 'application/json' } });
    expect(good).toEqual({ status: 200, body: 'success' });
    const again = await api.call('POST', `/api/wechat/push?signature=${signature}&timestamp=${timestamp}&nonce=${nonce}`, { rawBody: body, headers: { 'content-type': 'application/json' } });
    expect(again.status).toBe(200);
    const events = await api.deps.db.selectFrom('shipping_events').selectAll().where('event', '=', 'trade_manage_order_settlement').execute();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ event: 'trade_manage_order_settlement', payment_id: shipped.payment.id });
    expect(events[0]!.settlement_time?.getTime()).toBe((Number(timestamp) + 60) * 1000);
  });
});
