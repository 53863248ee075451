import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';
import { callSandbox, until } from '../_support/sandbox-client';
import { findSku, orderId } from '../_support/selling';
import { fakeChannels, type FakeChannel } from '../_support/fake-channel';
import { seedOtherMerchant } from '../_support/other-merchant';
import { checkoutResponse } from '../../shared/api/orders';
import { paymentResponse } from '../../shared/api/payments';
import { consentReportResponse, memberSubscriptionsResponse, messageTemplatesResponse, type MessagePlatform, type MessageTopic } from '../../shared/api/messages';
import { newId } from '../../shared/ids';
import { messageTime, moveMessagesToMember, pointsChangedData, queueMemberMessage, runMessageJobs, sendMessagesSoon } from '../../api/_messages/index';
import { message_retry_backoff_ms_base, message_send_attempts_max } from '../../api/_messages/limits';

/**
 * Member messages (#17) end to end against the sandbox's WeChat and Alipay
 * send APIs: the owner's templates, the member's consent as send credits,
 * the outbox, the sender's retries and stops, and the two triggers wired in
 * the sales module (points earned on a paid shop order, 通知取货).
 */
for (const target of dbTargets()) {
  describe.skipIf(!target.available)(`member messages on ${target.name}`, () => {
    let api: TestApi;
    let wechatPay: FakeChannel;
    let owner: string;
    let manager: string;
    let assistant: string;
    let otherOwner: string;
    let merchantId: string;
    let storeId: string;
    // The real minute: Alipay's sign-in signs with the real time, which the sandbox's gateway checks.
    let clock = Math.floor(Date.now() / 60_000) * 60_000;
    const alipayShoppers: Record<string, { token: string; memberId: string }> = {};
    const wechatTemplate = 'tmplPointsWx_01';
    const alipayTemplate = 'tmplPointsAli01';
    const pickupTemplate = 'tmplPickupWx_01';

    beforeAll(async () => {
      const fakes = fakeChannels();
      wechatPay = fakes.wechat;
      wechatPay.clock = () => new Date(clock);
      api = await startTestApi(target, { payments: fakes.registry });
      api.setNow(new Date(clock));
      await seedOtherMerchant(api.deps.db);
      [owner, manager, assistant, otherOwner] = await Promise.all([api.staffToken('o_demo_owner'), api.staffToken('o_demo_manager'), api.staffToken('o_demo_assistant_1'), api.staffToken('o_other_owner')]);
      merchantId = api.seed.merchantId;
      storeId = api.seed.storeIds.DEMO01!;
      const put = (body: unknown) => api.call('PUT', '/api/message-templates', { token: owner, body });
      expect((await put({ topic: 'points_changed', platform: 'wechat', templateId: wechatTemplate, fields: { thing1: 'change', number2: 'balance', time3: 'time' }, enabled: true })).status).toBe(200);
      expect((await put({ topic: 'points_changed', platform: 'alipay', templateId: alipayTemplate, fields: { keyword1: 'change', keyword2: 'balance' }, enabled: true })).status).toBe(200);
      for (const user of ['2088000000000451', '2088000000000452']) alipayShoppers[user] = await shopper('alipay', user);
      expect((await put({ topic: 'pickup_ready', platform: 'wechat', templateId: pickupTemplate, fields: { character_string1: 'pickupCode', thing2: 'storeName', thing3: 'goods' }, enabled: true })).status).toBe(200);
    });
    afterAll(async () => api?.stop());

    /** Moves the API's clock and the sandbox's together: Alipay's gateway checks the request's timestamp against its own. */
    const at = async (ms: number) => {
      clock += ms;
      api.setNow(new Date(clock));
      expect((await callSandbox(api.sandbox.url, '/sandbox/clock', { at: new Date(clock).toISOString() })).status).toBe(200);
    };

    async function shopper(platform: MessagePlatform, user: string): Promise<{ token: string; memberId: string }> {
      const code = await api.loginCode(platform, user);
      const res = await api.call('POST', '/api/auth/shopper/login', { body: { platform, code, storeCode: 'DEMO01' } });
      expect(res.status).toBe(200);
      return { token: res.body.token as string, memberId: res.body.member.id as string };
    }

    /** The member taps 允许 in the platform's dialog: the platform counts it, and the mini-program reports it. */
    async function accept(platform: MessagePlatform, user: string, token: string, templateId: string) {
      expect((await callSandbox(api.sandbox.url, '/sandbox/messages/accept', { platform, user, templateId })).status).toBe(200);
      const res = await api.call('POST', '/api/shop/message-consents', { token, body: { reportId: newId('consentReport'), platform, results: [{ templateId, result: 'accept' }] } });
      expect(res.status).toBe(200);
      return consentReportResponse.parse(res.body);
    }

    async function queue(memberId: string, key: string, data = pointsChangedData({ delta: 120, balance: 1320, reason: 'earn', at: new Date(clock) }), topic: MessageTopic = 'points_changed') {
      return api.deps.db.transaction().execute((trx) => queueMemberMessage(trx, { merchantId, memberId, topic, data, idempotencyKey: key, now: new Date(clock) }));
    }

    const message = (id: string) => api.deps.db.selectFrom('member_messages').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const attempts = (id: string) => api.deps.db.selectFrom('member_message_attempts').select(['attempt', 'outcome', 'code']).where('message_id', '=', id).orderBy('attempt').execute();
    const received = async (platform: MessagePlatform, user: string) => (await callSandbox(api.sandbox.url, `/sandbox/messages?platform=${platform}&user=${user}`)).json.items as { templateId: string; page: string | null; data: Record<string, { value: string }>; raw: Record<string, unknown>; answer: string }[];
    const credits = async (memberId: string, platform: MessagePlatform, templateId: string) =>
      (await api.deps.db.selectFrom('message_consents').select('credits').where('member_id', '=', memberId).where('platform', '=', platform).where('template_id', '=', templateId).executeTakeFirst())?.credits ?? 0;
    const sweep = () => runMessageJobs(api.deps, { merchantId });

    it('keeps templates per merchant: the owner sets them, a manager reads them, an assistant may not set them, another shop sees none, and a bad mapping changes nothing', async () => {
      const mine = messageTemplatesResponse.parse((await api.call('GET', '/api/message-templates', { token: manager })).body);
      expect(mine.templates.map((t) => `${t.topic} ${t.platform} ${t.templateId}`).sort()).toEqual([`pickup_ready wechat ${pickupTemplate}`, `points_changed alipay ${alipayTemplate}`, `points_changed wechat ${wechatTemplate}`]);
      expect(mine.templates.find((t) => t.platform === 'wechat' && t.topic === 'points_changed')!.page).toBe('pages/member/messages');
      const body = { topic: 'points_changed', platform: 'wechat', templateId: 'x_1', fields: { thing1: 'change' }, enabled: true };
      expect((await api.call('PUT', '/api/message-templates', { token: assistant, body })).status).toBe(403);
      const theirs = messageTemplatesResponse.parse((await api.call('GET', '/api/message-templates', { token: otherOwner })).body);
      expect(theirs.templates).toEqual([]);
      // Another shop's template for the same topic is its own and leaves ours as it was.
      expect((await api.call('PUT', '/api/message-templates', { token: otherOwner, body })).status).toBe(200);
      const bad = await api.call('PUT', '/api/message-templates', { token: owner, body: { ...body, fields: { keyword1: 'change', thing2: 'pickupCode' } } });
      expect(bad.status).toBe(400);
      expect(JSON.stringify(bad.body.error)).toContain('keyword1');
      expect(JSON.stringify(bad.body.error)).toContain('pickupCode');
      const after = messageTemplatesResponse.parse((await api.call('GET', '/api/message-templates', { token: owner })).body);
      expect(after.templates).toEqual(mine.templates);
    });

    it('never sends without consent: the message is recorded as skipped and nothing reaches the platform', async () => {
      const m = await shopper('wechat', 'o_msg_none');
      const q = await queue(m.memberId, `test:none:${newId('request')}`);
      expect(q.status).toBe('skipped_no_consent');
      await sweep();
      expect((await message(q.messageId)).status).toBe('skipped_no_consent');
      expect(await attempts(q.messageId)).toEqual([]);
      expect(await received('wechat', 'o_msg_none')).toEqual([]);
      // A topic the shop has no template for is skipped as such.
      const noTemplate = await queue(m.memberId, `test:none-tpl:${newId('request')}`, { couponName: '满100减20', expiresAt: '2026年12月8日 23:59', shopName: '示例小店', note: '快到期了' }, 'coupon_expiring');
      expect(noTemplate.status).toBe('skipped_no_template');
      // A rejection in the dialog is a no as well.
      const report = await api.call('POST', '/api/shop/message-consents', { token: m.token, body: { reportId: newId('consentReport'), platform: 'wechat', results: [{ templateId: wechatTemplate, result: 'reject' }] } });
      expect(report.status).toBe(200);
      expect((await queue(m.memberId, `test:none-rejected:${newId('request')}`)).status).toBe('skipped_no_consent');
    });

    it('sends once per consent, in WeChat wire format, and the second message without a credit is skipped', async () => {
      const m = await shopper('wechat', 'o_msg_once');
      const sub = await accept('wechat', 'o_msg_once', m.token, wechatTemplate);
      expect(sub.items.find((i) => i.platform === 'wechat' && i.topic === 'points_changed')).toMatchObject({ templateId: wechatTemplate, credits: 1, lastResult: 'accept' });
      const first = await queue(m.memberId, `test:once:1:${newId('request')}`);
      const second = await queue(m.memberId, `test:once:2:${newId('request')}`);
      expect([first.status, second.status]).toEqual(['queued', 'queued']);
      await sweep();
      expect((await message(first.messageId)).status).toBe('sent');
      expect((await message(second.messageId)).status).toBe('skipped_no_consent');
      expect(await attempts(first.messageId)).toEqual([{ attempt: 1, outcome: 'sent', code: '0' }]);
      expect(await attempts(second.messageId)).toEqual([]);
      const got = await received('wechat', 'o_msg_once');
      expect(got).toHaveLength(1);
      expect(got[0]!.raw).toMatchObject({ touser: 'o_msg_once', template_id: wechatTemplate, page: 'pages/member/messages', lang: 'zh_CN' });
      expect(got[0]!.data).toEqual({ thing1: { value: '消费获得 120 积分' }, number2: { value: '1320' }, time3: { value: messageTime(new Date(clock)) } });
      expect(await credits(m.memberId, 'wechat', wechatTemplate)).toBe(0);
      const page = memberSubscriptionsResponse.parse((await api.call('GET', '/api/shop/message-subscriptions', { token: m.token })).body);
      expect(page.recent.map((r) => r.status).sort()).toEqual(['sent', 'skipped_no_consent']);
    });

    it('retries a temporary error (-1 system busy) after its backoff and then sends, spending one credit', async () => {
      const m = await shopper('wechat', 'o_msg_retry');
      await accept('wechat', 'o_msg_retry', m.token, wechatTemplate);
      expect((await callSandbox(api.sandbox.url, '/sandbox/messages/control', { platform: 'wechat', failNext: 1, errcode: -1 })).status).toBe(200);
      const q = await queue(m.memberId, `test:retry:${newId('request')}`);
      await sweep();
      const waiting = await message(q.messageId);
      expect(waiting).toMatchObject({ status: 'queued', attempts: 1, credit_taken: true });
      expect(new Date(waiting.next_attempt_at!).getTime()).toBe(clock + message_retry_backoff_ms_base);
      await sweep();
      expect(await attempts(q.messageId)).toHaveLength(1);
      await at(message_retry_backoff_ms_base);
      await sweep();
      expect((await message(q.messageId)).status).toBe('sent');
      expect(await attempts(q.messageId)).toEqual([
        { attempt: 1, outcome: 'temporary', code: '-1' },
        { attempt: 2, outcome: 'sent', code: '0' },
      ]);
      expect((await received('wechat', 'o_msg_retry')).map((r) => r.answer)).toEqual(['-1', '0']);
      expect(await credits(m.memberId, 'wechat', wechatTemplate)).toBe(0);
    });

    it(`gives up after ${message_send_attempts_max} temporary errors and gives the credit back`, async () => {
      const m = await shopper('wechat', 'o_msg_busy');
      await accept('wechat', 'o_msg_busy', m.token, wechatTemplate);
      await callSandbox(api.sandbox.url, '/sandbox/messages/control', { platform: 'wechat', failNext: message_send_attempts_max, network: true });
      const q = await queue(m.memberId, `test:busy:${newId('request')}`);
      for (let i = 0; i < message_send_attempts_max; i++) {
        await sweep();
        await at(message_retry_backoff_ms_base * 2 ** i);
      }
      expect((await message(q.messageId)).status).toBe('failed');
      expect((await attempts(q.messageId)).map((a) => a.outcome)).toEqual(Array(message_send_attempts_max).fill('temporary'));
      await sweep();
      expect(await attempts(q.messageId)).toHaveLength(message_send_attempts_max);
      expect(await credits(m.memberId, 'wechat', wechatTemplate)).toBe(1);
    });

    it('stops on a permanent error: 40037 bad template gives the credit back, 43101 refused takes the consent away', async () => {
      const m = await shopper('wechat', 'o_msg_perm');
      await accept('wechat', 'o_msg_perm', m.token, wechatTemplate);
      await callSandbox(api.sandbox.url, '/sandbox/messages/control', { platform: 'wechat', failNext: 1, errcode: 40037 });
      const bad = await queue(m.memberId, `test:perm:1:${newId('request')}`);
      await sweep();
      await at(10 * 60_000);
      await sweep();
      expect((await message(bad.messageId)).status).toBe('failed');
      expect(await attempts(bad.messageId)).toEqual([{ attempt: 1, outcome: 'permanent', code: '40037' }]);
      expect(await credits(m.memberId, 'wechat', wechatTemplate)).toBe(1);

      // The member reports an accept that the platform never counted: WeChat answers 43101.
      const n = await shopper('wechat', 'o_msg_refused');
      const report = await api.call('POST', '/api/shop/message-consents', { token: n.token, body: { reportId: newId('consentReport'), platform: 'wechat', results: [{ templateId: wechatTemplate, result: 'accept' }] } });
      expect(report.status).toBe(200);
      const refused = await queue(n.memberId, `test:perm:2:${newId('request')}`);
      await sweep();
      expect((await message(refused.messageId)).status).toBe('failed');
      expect(await attempts(refused.messageId)).toEqual([{ attempt: 1, outcome: 'permanent', code: '43101' }]);
      expect(await credits(n.memberId, 'wechat', wechatTemplate)).toBe(0);
    });

    it('queues idempotently: the same key is the same message; with other content it is refused and nothing is added', async () => {
      const m = await shopper('wechat', 'o_msg_idem');
      const key = `test:idem:${newId('request')}`;
      const a = await queue(m.memberId, key);
      const b = await queue(m.memberId, key);
      expect(b).toEqual({ messageId: a.messageId, status: a.status, replayed: true });
      await expect(queue(m.memberId, key, pointsChangedData({ delta: 5, balance: 5, reason: 'earn', at: new Date(clock) }))).rejects.toMatchObject({ code: 'idempotency_mismatch' });
      const rows = await api.deps.db.selectFrom('member_messages').select('id').where('idempotency_key', '=', key).execute();
      expect(rows).toHaveLength(1);
      // A caller passing other values than the topic's is a wiring mistake and fails loudly.
      await expect(queue(m.memberId, `test:idem:bad:${newId('request')}`, { points: '1' })).rejects.toThrow(/data keys/);
    });

    it('records consent reports once: a repeat is a replay, other content under the same id is 409, an unknown template or platform is 400', async () => {
      const m = await shopper('wechat', 'o_msg_report');
      const reportId = newId('consentReport');
      const body = { reportId, platform: 'wechat', results: [{ templateId: wechatTemplate, result: 'accept' }] };
      const first = consentReportResponse.parse((await api.call('POST', '/api/shop/message-consents', { token: m.token, body })).body);
      const again = consentReportResponse.parse((await api.call('POST', '/api/shop/message-consents', { token: m.token, body })).body);
      expect([first.replayed, again.replayed]).toEqual([false, true]);
      expect(await credits(m.memberId, 'wechat', wechatTemplate)).toBe(1);
      const changed = await api.call('POST', '/api/shop/message-consents', { token: m.token, body: { ...body, results: [{ templateId: wechatTemplate, result: 'reject' }] } });
      expect(changed.status).toBe(409);
      const unknown = await api.call('POST', '/api/shop/message-consents', { token: m.token, body: { ...body, reportId: newId('consentReport'), results: [{ templateId: 'nope_1', result: 'accept' }] } });
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.message).toContain('nope_1');
      const wrongPlatform = await api.call('POST', '/api/shop/message-consents', { token: m.token, body: { ...body, reportId: newId('consentReport'), platform: 'alipay', results: [{ templateId: alipayTemplate, result: 'accept' }] } });
      expect(wrongPlatform.status).toBe(400);
      expect(await credits(m.memberId, 'wechat', wechatTemplate)).toBe(1);
      expect(await credits(m.memberId, 'alipay', alipayTemplate)).toBe(0);
    });

    it('sends through Alipay’s signed gateway with data as a JSON string, retrying 20000 and stopping when the user has not subscribed', async () => {
      const user = '2088000000000451';
      const m = alipayShoppers[user]!;
      await accept('alipay', user, m.token, alipayTemplate);
      await callSandbox(api.sandbox.url, '/sandbox/messages/control', { platform: 'alipay', failNext: 1, code: '20000', subCode: 'isp.unknow-error' });
      const q = await queue(m.memberId, `test:alipay:${newId('request')}`);
      await sweep();
      expect((await message(q.messageId)).status).toBe('queued');
      await at(message_retry_backoff_ms_base);
      await sweep();
      expect((await message(q.messageId)).status).toBe('sent');
      expect((await attempts(q.messageId)).map((a) => `${a.outcome} ${a.code}`)).toEqual(['temporary 20000 isp.unknow-error', 'sent 10000']);
      const got = await received('alipay', user);
      expect(got.at(-1)!.raw).toMatchObject({ to_user_id: user, user_template_id: alipayTemplate, page: 'pages/member/messages' });
      expect(typeof got.at(-1)!.raw.data).toBe('string');
      expect(got.at(-1)!.data).toEqual({ keyword1: { value: '消费获得 120 积分' }, keyword2: { value: '1320' } });
      // Reported to the shop but never counted by Alipay: Alipay refuses, and the consent is gone.
      await api.call('POST', '/api/shop/message-consents', { token: m.token, body: { reportId: newId('consentReport'), platform: 'alipay', results: [{ templateId: alipayTemplate, result: 'accept' }] } });
      const refused = await queue(m.memberId, `test:alipay:2:${newId('request')}`);
      await sweep();
      expect(await attempts(refused.messageId)).toEqual([{ attempt: 1, outcome: 'permanent', code: '40004 USER_NOT_SUBSCRIBE' }]);
      expect(await credits(m.memberId, 'alipay', alipayTemplate)).toBe(0);
    });

    it('tells the member of the points a paid shop order earned, once, with their consent', async () => {
      const m = await shopper('wechat', 'o_msg_points');
      await accept('wechat', 'o_msg_points', m.token, wechatTemplate);
      const sku = await findSku(api, assistant, 'wlj');
      const created = await api.call('POST', '/api/shop/orders', { token: m.token, body: { clientOrderId: orderId(), storeId, lines: [{ skuId: sku.id, qty: 1 }], expectedTotalFen: sku.memberPriceFen } });
      expect(created.status).toBe(201);
      const order = checkoutResponse.parse(created.body).order;
      const p = paymentResponse.parse((await api.call('POST', `/api/shop/orders/${order.id}/pay`, { token: m.token, body: { clientPaymentId: newId('payment'), channel: 'wechat' } })).body).payment;
      wechatPay.pay(p.id);
      const n = wechatPay.notification(p.id, { at: new Date(clock) });
      await Promise.all([api.call('POST', '/api/pay/wechat/notify', { rawBody: n.raw, headers: n.headers }), api.call('POST', '/api/pay/wechat/notify', { rawBody: n.raw, headers: n.headers })]);
      const rows = await api.deps.db.selectFrom('member_messages').select(['id', 'status']).where('idempotency_key', '=', `points_changed:earn:${order.id}`).execute();
      expect(rows).toHaveLength(1);
      await sweep();
      await until('the points message', async () => ((await message(rows[0]!.id)).status === 'sent' ? true : undefined));
      const earned = await api.deps.db.selectFrom('points_ledger').select(['delta', 'balance_after']).where('idempotency_key', '=', `earn:${order.id}`).executeTakeFirstOrThrow();
      const got = await received('wechat', 'o_msg_points');
      expect(got).toHaveLength(1);
      expect(got[0]!.data.thing1!.value).toBe(`消费获得 ${earned.delta} 积分`);
      expect(got[0]!.data.number2!.value).toBe(String(earned.balance_after));
    });

    it('通知取货: the member of a paid shop order hears it is ready, once however often the counter presses; another shop gets 404', async () => {
      const m = await shopper('wechat', 'o_msg_pickup');
      await accept('wechat', 'o_msg_pickup', m.token, pickupTemplate);
      const sku = await findSku(api, assistant, 'wlj');
      const created = checkoutResponse.parse((await api.call('POST', '/api/shop/orders', { token: m.token, body: { clientOrderId: orderId(), storeId, lines: [{ skuId: sku.id, qty: 2 }], expectedTotalFen: 2 * sku.memberPriceFen } })).body).order;
      const p = paymentResponse.parse((await api.call('POST', `/api/shop/orders/${created.id}/pay`, { token: m.token, body: { clientPaymentId: newId('payment'), channel: 'wechat' } })).body).payment;
      wechatPay.pay(p.id);
      const n = wechatPay.notification(p.id, { at: new Date(clock) });
      expect((await api.call('POST', '/api/pay/wechat/notify', { rawBody: n.raw, headers: n.headers })).status).toBeLessThan(300);
      const paid = checkoutResponse.shape.order.parse((await api.call('GET', `/api/shop/orders/${created.id}`, { token: m.token })).body.order);
      const foreign = await api.call('POST', `/api/stores/${storeId}/pickups/ready`, { token: otherOwner, body: { code: paid.pickupCode } });
      expect(foreign.status).toBe(404);
      const first = await api.call('POST', `/api/stores/${storeId}/pickups/ready`, { token: assistant, body: { code: paid.pickupCode } });
      expect(first.status).toBe(200);
      expect(first.body.message).toMatchObject({ status: 'queued', replayed: false });
      const again = await api.call('POST', `/api/stores/${storeId}/pickups/ready`, { token: assistant, body: { code: paid.pickupCode } });
      expect(again.body.message).toMatchObject({ id: first.body.message.id, replayed: true });
      await sweep();
      await until('the pickup message', async () => ((await message(first.body.message.id as string)).status === 'sent' ? true : undefined));
      const got = (await received('wechat', 'o_msg_pickup')).filter((r) => r.templateId === pickupTemplate);
      expect(got).toHaveLength(1);
      expect(got[0]!.data.character_string1!.value).toBe(paid.pickupCode);
      expect(got[0]!.data.thing3!.value).toContain('×2');
    });

    it('a member merge keeps both records’ consents and messages on the surviving member', async () => {
      const a = await shopper('wechat', 'o_msg_merge_a');
      const b = alipayShoppers['2088000000000452']!;
      await accept('wechat', 'o_msg_merge_a', a.token, wechatTemplate);
      await api.call('POST', '/api/shop/message-consents', { token: b.token, body: { reportId: newId('consentReport'), platform: 'alipay', results: [{ templateId: alipayTemplate, result: 'accept' }] } });
      const q = await queue(a.memberId, `test:merge:${newId('request')}`);
      await api.deps.db.transaction().execute((trx) => moveMessagesToMember(trx, { merchantId, fromMemberId: a.memberId, toMemberId: b.memberId, mergeId: 'merge_test' }));
      expect(await credits(b.memberId, 'wechat', wechatTemplate)).toBe(1);
      expect(await credits(b.memberId, 'alipay', alipayTemplate)).toBe(1);
      expect(await credits(a.memberId, 'wechat', wechatTemplate)).toBe(0);
      expect((await message(q.messageId)).member_id).toBe(b.memberId);
    });
  });
}

const queueTarget = dbTargets().find((t) => t.available);
describe.skipIf(!queueTarget)(`member messages woken through the job queue (QStash stand-in), on ${queueTarget?.name}`, () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi(queueTarget!, { queue: true });
  });
  afterAll(async () => api?.stop());

  it('a transaction that queued a message wakes the sender: one signed `messages` job delivers it', async () => {
    const owner = await api.staffToken('o_demo_owner');
    const templateId = 'tmplQueueWx_01';
    expect((await api.call('PUT', '/api/message-templates', { token: owner, body: { topic: 'points_changed', platform: 'wechat', templateId, fields: { thing1: 'change' }, enabled: true } })).status).toBe(200);
    const code = await api.loginCode('wechat', 'o_msg_queue');
    const login = await api.call('POST', '/api/auth/shopper/login', { body: { platform: 'wechat', code, storeCode: 'DEMO01' } });
    const token = login.body.token as string;
    await callSandbox(api.sandbox.url, '/sandbox/messages/accept', { platform: 'wechat', user: 'o_msg_queue', templateId });
    expect((await api.call('POST', '/api/shop/message-consents', { token, body: { reportId: newId('consentReport'), platform: 'wechat', results: [{ templateId, result: 'accept' }] } })).status).toBe(200);
    const merchantId = api.seed.merchantId;
    const now = new Date();
    const q = await api.deps.db.transaction().execute((trx) =>
      queueMemberMessage(trx, { merchantId, memberId: login.body.member.id as string, topic: 'points_changed', data: pointsChangedData({ delta: 3, balance: 3, reason: 'earn', at: now }), idempotencyKey: `test:queue:${newId('request')}`, now }),
    );
    expect(q.status).toBe('queued');
    sendMessagesSoon(api.deps, merchantId);
    await until('the queued message', async () => ((await api.deps.db.selectFrom('member_messages').select('status').where('id', '=', q.messageId).executeTakeFirstOrThrow()).status === 'sent' ? true : undefined));
    const runs = await api.deps.db.selectFrom('job_runs').select(['job', 'merchant_id', 'outcome']).where('job', '=', 'messages').execute();
    expect(runs).toEqual([{ job: 'messages', merchant_id: merchantId, outcome: 'ok' }]);
  });
});
