import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';
import { seedOtherMerchant } from '../_support/other-merchant';
import { checkInvariants, findSku, invariantsHold, orderId } from '../_support/selling';
import { checkoutResponse, pricingContextResponse, type CheckoutRequest, type OrderView } from '../../shared/api/orders';
import { memberLookupResponse } from '../../shared/api/members';
import { claimableResponse, couponsResponse, couponTemplateResponse, couponTemplatesResponse, type CouponTemplateRequest, type CouponView } from '../../shared/api/coupons';
import { priceOrder, type CouponRule } from '../../shared/pricing/index';
import { newId } from '../../shared/ids';
import { issueLevelUpCoupons, issueSignUpCoupons, moveCouponsToMember, noticeExpiringCoupons } from '../../api/_coupons/index';
import { coupon_expiring_notice_hours } from '../../api/_coupons/limits';
import { performJob } from '../../api/_jobs/run';
import { expireOpenOrders } from '../../api/_sales/expire-orders';

const day_ms = 86_400_000;
let cardRef = 1;
let phoneNo = 100;

for (const target of dbTargets()) {
  describe.skipIf(!target.available)(`coupons (优惠券), on ${target.name}`, () => {
    let api: TestApi;
    let owner: string;
    let manager: string;
    let assistant: string;
    let storeId: string;
    let otherOwner: string;

    beforeAll(async () => {
      api = await startTestApi(target);
      await seedOtherMerchant(api.deps.db);
      [owner, manager, assistant, otherOwner] = await Promise.all([api.staffToken('o_demo_owner'), api.staffToken('o_demo_manager'), api.staffToken('o_demo_assistant_1'), api.staffToken('o_other_owner')]);
      storeId = api.seed.storeIds.DEMO01!;
    });
    afterAll(async () => api?.stop());

    async function newMember() {
      const res = await api.call('POST', '/api/members', { token: assistant, body: { phone: `139${String(phoneNo++).padStart(8, '0')}` } });
      expect(res.status).toBe(201);
      return memberLookupResponse.parse(res.body).member;
    }

    async function template(overrides: Partial<CouponTemplateRequest>) {
      const body: CouponTemplateRequest = { name: '满减券', kind: 'amount_off', minSpendFen: 0, offFen: 100, validity: { kind: 'days', days: 30 }, perMemberMax: 5, returnPolicy: 'never', ...overrides };
      const res = await api.call('POST', '/api/coupons/templates', { token: owner, body });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return couponTemplateResponse.parse(res.body).template;
    }

    async function give(memberId: string, templateId: string, key = newId('request')) {
      const res = await api.call('POST', '/api/coupons/issue', { token: assistant, body: { memberId, templateId, idempotencyKey: key } });
      return res;
    }

    async function given(memberId: string, templateId: string): Promise<string> {
      const res = await give(memberId, templateId);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.couponId as string;
    }

    async function usable(memberId: string): Promise<CouponView[]> {
      const res = await api.call('GET', `/api/stores/${storeId}/coupons?memberId=${memberId}`, { token: assistant });
      expect(res.status).toBe(200);
      return couponsResponse.parse(res.body).items;
    }

    /** Prices as the counter does (pricing context, the coupon's rule from the chooser's list), then bills by card. */
    async function prepare(memberId: string, lines: { skuId: string; qty: number }[], couponIds: string[], clientOrderId = orderId()): Promise<CheckoutRequest> {
      // The balance from the ledger, not the lookup route, which is rate-limited per assistant.
      const last = await api.deps.db.selectFrom('points_ledger').select('balance_after').where('member_id', '=', memberId).orderBy('seq', 'desc').limit(1).executeTakeFirst();
      const member = { id: memberId, points: last?.balance_after ?? 0 };
      const ctx = pricingContextResponse.parse((await api.call('GET', `/api/stores/${storeId}/pricing-context`, { token: assistant })).body);
      const rules = (await usable(memberId)).filter((c) => couponIds.includes(c.id)).map((c) => c.rule as CouponRule);
      const skus = await Promise.all(lines.map((l) => api.deps.db.selectFrom('skus').select(['id', 'retail_price_fen', 'member_price_fen', 'product_id']).where('id', '=', l.skuId).executeTakeFirstOrThrow()));
      let totalFen = 1;
      try {
        totalFen = priceOrder({
          lines: lines.map((l, i) => ({ skuId: l.skuId, qty: l.qty, retailPriceFen: skus[i]!.retail_price_fen, memberPriceFen: skus[i]!.member_price_fen })),
          member: { id: member.id, pointsBalance: member.points },
          bundles: ctx.bundles,
          thresholds: ctx.thresholds,
          coupons: rules,
          cashRounding: 'none',
          cashTender: false,
        }).totalFen;
      } catch {
        // The server must refuse it too; the test reads its answer.
      }
      const body: CheckoutRequest = { clientOrderId, storeId, memberId, lines, couponIds, tenders: totalFen > 0 ? [{ method: 'card', amountFen: totalFen, reference: `CPN${cardRef++}` }] : [], expectedTotalFen: totalFen };
      if (couponIds.length === 0) delete body.couponIds;
      return body;
    }

    async function bill(memberId: string, lines: { skuId: string; qty: number }[], couponIds: string[]) {
      const body = await prepare(memberId, lines, couponIds);
      return { res: await api.call('POST', '/api/orders', { token: assistant, body }), body };
    }

    async function couponRow(id: string) {
      return api.deps.db.selectFrom('coupons').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    }

    it('the owner makes and stops templates; managers read them with counts; bad input names its field', async () => {
      const bad = await api.call('POST', '/api/coupons/templates', { token: owner, body: { name: '缺金额', kind: 'amount_off', minSpendFen: 1000, validity: { kind: 'days', days: 7 }, perMemberMax: 1, returnPolicy: 'never' } });
      expect(bad.status).toBe(400);
      expect(JSON.stringify(bad.body.error.fields)).toContain('offFen');
      const tooBig = await api.call('POST', '/api/coupons/templates', { token: owner, body: { name: '超门槛', kind: 'amount_off', minSpendFen: 1000, offFen: 2000, validity: { kind: 'days', days: 7 }, perMemberMax: 1, returnPolicy: 'never' } });
      expect(tooBig.status).toBe(400);
      const byManager = await api.call('POST', '/api/coupons/templates', { token: manager, body: { name: '经理', kind: 'amount_off', minSpendFen: 0, offFen: 100, validity: { kind: 'days', days: 7 }, perMemberMax: 1, returnPolicy: 'never' } });
      expect(byManager.status).toBe(403);
      const t = await template({ name: '八五折', kind: 'percent_off', offFen: undefined, offBp: 1500, capFen: 2000, minSpendFen: 5000 });
      expect(t.summary).toBe('满50 8.5折 最多减20'.replace(' 8.5', '8.5'));
      const m = await newMember();
      await given(m.id, t.id);
      const list = couponTemplatesResponse.parse((await api.call('GET', '/api/coupons/templates', { token: manager })).body);
      expect(list.items.find((i) => i.id === t.id)).toMatchObject({ issued: 1, used: 0, expired: 0, status: 'active' });
      expect((await api.call('POST', `/api/coupons/templates/${t.id}/stop`, { token: manager })).status).toBe(403);
      expect((await api.call('POST', `/api/coupons/templates/${t.id}/stop`, { token: otherOwner })).status).toBe(404);
      const stopped = await api.call('POST', `/api/coupons/templates/${t.id}/stop`, { token: owner });
      expect(stopped.body.template.status).toBe('stopped');
      const refused = await give(m.id, t.id);
      expect(refused.status).toBe(409);
      expect(refused.body.error.message).toContain('停止发放');
      // Stopping ends issuing, not the coupons already held.
      expect((await usable(m.id)).some((c) => c.templateId === t.id)).toBe(true);
    });

    it('limits hold under concurrency: the total issued and each member’s share, and a repeated key issues once', async () => {
      const m = await newMember();
      const total = await template({ name: '限量5张', perMemberMax: 5, totalMax: 5 });
      const answers = await Promise.all(Array.from({ length: 12 }, () => give(m.id, total.id)));
      expect(answers.filter((a) => a.status === 201)).toHaveLength(5);
      expect(answers.filter((a) => a.status === 409).every((a) => String(a.body.error.message).includes('已发完'))).toBe(true);
      const t = await api.deps.db.selectFrom('coupon_templates').select('issued_count').where('id', '=', total.id).executeTakeFirstOrThrow();
      expect(t.issued_count).toBe(5);

      const each = await template({ name: '每人3张', perMemberMax: 3 });
      const m2 = await newMember();
      const mine = await Promise.all(Array.from({ length: 8 }, () => give(m2.id, each.id)));
      expect(mine.filter((a) => a.status === 201)).toHaveLength(3);
      expect(await api.deps.db.selectFrom('coupons').select('id').where('template_id', '=', each.id).execute()).toHaveLength(3);

      const key = newId('request');
      const once = await Promise.all([give(m.id, each.id, key), give(m.id, each.id, key), give(m.id, each.id, key)]);
      expect(once.map((a) => a.status)).toEqual([201, 201, 201]);
      expect(new Set(once.map((a) => a.body.couponId)).size).toBe(1);
      const m3 = await newMember();
      expect((await give(m3.id, each.id, key)).status).toBe(409);
    });

    it('a shopper claims from 领券中心 once per tap, up to the limit; only claimable templates are offered', async () => {
      const code = await api.loginCode('wechat', 'o_demo_member_1');
      const shopper = (await api.call('POST', '/api/auth/shopper/login', { body: { platform: 'wechat', code, storeCode: 'DEMO01' } })).body.token as string;
      const offered = await template({ name: '领券10元', claimable: true, perMemberMax: 2, minSpendFen: 5000, offFen: 1000 });
      const hidden = await template({ name: '柜台专用' });
      const list = claimableResponse.parse((await api.call('GET', '/api/shop/coupons/claimable', { token: shopper })).body);
      expect(list.items.map((i) => i.templateId)).toContain(offered.id);
      expect(list.items.map((i) => i.templateId)).not.toContain(hidden.id);
      const key = newId('request');
      const [a, b] = await Promise.all([
        api.call('POST', '/api/shop/coupons/claim', { token: shopper, body: { templateId: offered.id, idempotencyKey: key } }),
        api.call('POST', '/api/shop/coupons/claim', { token: shopper, body: { templateId: offered.id, idempotencyKey: key } }),
      ]);
      expect([a.status, b.status]).toEqual([201, 201]);
      expect(a.body.couponId).toBe(b.body.couponId);
      expect((await api.call('POST', '/api/shop/coupons/claim', { token: shopper, body: { templateId: offered.id, idempotencyKey: newId('request') } })).status).toBe(201);
      const third = await api.call('POST', '/api/shop/coupons/claim', { token: shopper, body: { templateId: offered.id, idempotencyKey: newId('request') } });
      expect(third.status).toBe(409);
      expect(third.body.error.message).toContain('每人限领 2 张');
      expect((await api.call('POST', '/api/shop/coupons/claim', { token: shopper, body: { templateId: hidden.id, idempotencyKey: newId('request') } })).status).toBe(404);
      const mine = couponsResponse.parse((await api.call('GET', '/api/shop/coupons', { token: shopper })).body);
      expect(mine.items.filter((c) => c.templateId === offered.id)).toHaveLength(2);
      expect(mine.items[0]!.summary).toBe('满50减10');
    });

    it('redeems at the counter through the engine: each fen attributed to the coupon, used once, replay answers the same', async () => {
      const tee = await findSku(api, assistant, 'cmyltx');
      const m = await newMember();
      const t = await template({ name: '满二减', minSpendFen: tee.memberPriceFen * 2, offFen: Math.min(1000, tee.memberPriceFen * 2) });
      const couponId = await given(m.id, t.id);
      const { res, body } = await bill(m.id, [{ skuId: tee.id, qty: 3 }], [couponId]);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      const order = checkoutResponse.parse(res.body).order;
      expect(order.totalFen).toBe(tee.memberPriceFen * 3 - Math.min(1000, tee.memberPriceFen * 2));
      const adj = order.adjustments.find((a) => a.kind === 'coupon');
      expect(adj).toMatchObject({ fen: Math.min(1000, tee.memberPriceFen * 2), label: '优惠券·满二减' });
      expect(order.lines.flatMap((l) => l.adjustments).filter((a) => a.kind === 'coupon').reduce((s, a) => s + a.fen, 0)).toBe(adj!.fen);
      const pricing = await api.deps.db.selectFrom('orders').select('pricing').where('id', '=', order.id).executeTakeFirstOrThrow();
      expect(JSON.stringify(pricing.pricing)).toContain(`"ruleId":"${couponId}"`);
      expect(await couponRow(couponId)).toMatchObject({ status: 'used', used_order_id: order.id });
      const events = await api.deps.db.selectFrom('coupon_events').select(['kind', 'discount_fen']).where('coupon_id', '=', couponId).execute();
      expect(events).toEqual([{ kind: 'used', discount_fen: adj!.fen }]);

      const replay = await api.call('POST', '/api/orders', { token: assistant, body });
      expect(replay.status).toBe(200);
      expect(replay.body.replayed).toBe(true);
      const again = await bill(m.id, [{ skuId: tee.id, qty: 3 }], [couponId]);
      expect(again.res.status).toBe(409);
      expect(again.res.body.error.message).toContain('已经用过');
      expect(await checkInvariants(api)).toEqual(invariantsHold);
    });

    it('one coupon, two orders at once: exactly one sale takes it and the other changes nothing', async () => {
      const tee = await findSku(api, assistant, 'cmyltx');
      const m = await newMember();
      const t = await template({ name: '抢用', minSpendFen: 0, offFen: 100 });
      const couponId = await given(m.id, t.id);
      const first = await prepare(m.id, [{ skuId: tee.id, qty: 1 }], [couponId]);
      // Three sales priced with the coupon while it is unused, sent together.
      const bodies = [0, 1, 2].map(() => ({ ...first, clientOrderId: orderId(), tenders: first.tenders.map((x) => ({ ...x, reference: `CPN${cardRef++}` })) }));
      const prepared = await Promise.all(bodies.map(async (body) => ({ body, res: await api.call('POST', '/api/orders', { token: assistant, body }) })));
      expect(prepared.filter((p) => p.res.status === 409).every((p) => p.res.body.error.code === 'conflict')).toBe(true);
      const statuses = prepared.map((p) => p.res.status).sort();
      expect(statuses).toEqual([201, 409, 409]);
      const winner = prepared.find((p) => p.res.status === 201)!;
      expect(await couponRow(couponId)).toMatchObject({ status: 'used', used_order_id: winner.body.clientOrderId });
      const losers = prepared.filter((p) => p.res.status !== 201).map((p) => p.body.clientOrderId);
      expect(await api.deps.db.selectFrom('orders').select('id').where('id', 'in', losers).execute()).toEqual([]);
      expect(await checkInvariants(api)).toEqual(invariantsHold);
    });

    it('refuses, naming why: below threshold, out of scope, another member’s, expired, another store’s, another merchant’s', async () => {
      const tee = await findSku(api, assistant, 'cmyltx');
      const tea = await findSku(api, assistant, 'wlj');
      const m = await newMember();
      const other = await newMember();
      const high = await given(m.id, (await template({ name: '高门槛', minSpendFen: tee.memberPriceFen * 10, offFen: 100 })).id);
      let r = await bill(m.id, [{ skuId: tee.id, qty: 1 }], [high]);
      expect(r.res.status).toBe(400);
      expect(r.res.body.error.message).toContain('须满');
      expect(r.res.body.error.fields[0].path).toBe('couponIds.0');
      expect(await couponRow(high)).toMatchObject({ status: 'available', used_order_id: null });

      const scoped = await given(m.id, (await template({ name: '限茶饮', skuIds: [tea.id] })).id);
      r = await bill(m.id, [{ skuId: tee.id, qty: 1 }], [scoped]);
      expect(r.res.status).toBe(400);
      expect(r.res.body.error.message).toContain('不适用于所选商品');

      const theirs = await given(other.id, (await template({ name: '别人的' })).id);
      r = await bill(m.id, [{ skuId: tee.id, qty: 1 }], [theirs]);
      expect(r.res.status).toBe(400);
      expect(r.res.body.error.message).toContain('不属于这位会员');

      // A coupon for another store of the merchant, opened for this test.
      const opened = await api.call('POST', '/api/merchant/stores', { token: owner, body: { name: `二店${phoneNo}`, address: '人民路 2 号', phone: '13900001111', businessHours: '09:00-21:00' } });
      expect(opened.status, JSON.stringify(opened.body)).toBe(201);
      const storeOnly = await given(m.id, (await template({ name: '别店专用', storeIds: [opened.body.store.id as string] })).id);
      r = await bill(m.id, [{ skuId: tee.id, qty: 1 }], [storeOnly]);
      expect(r.res.status).toBe(400);
      expect(r.res.body.error.message).toContain('不适用于本门店');
      expect((await usable(m.id)).some((c) => c.id === storeOnly)).toBe(false);

      // A coupon whose day has passed (moved back in time in the database: the staff sessions would not survive moving the clock two days on).
      const short = await given(m.id, (await template({ name: '一天券', validity: { kind: 'days', days: 1 } })).id);
      await api.deps.db.updateTable('coupons').set({ valid_from: new Date(Date.now() - 2 * day_ms), valid_until: new Date(Date.now() - day_ms) }).where('id', '=', short).execute();
      r = await bill(m.id, [{ skuId: tee.id, qty: 1 }], [short]);
      expect(r.res.status).toBe(400);
      expect(r.res.body.error.message).toContain('已过期');
      const listed = couponTemplatesResponse.parse((await api.call('GET', '/api/coupons/templates', { token: owner })).body);
      expect(listed.items.find((i) => i.name === '一天券')).toMatchObject({ issued: 1, expired: 1, used: 0 });
      expect((await usable(m.id)).some((c) => c.id === short)).toBe(false);

      const foreign = newId('coupon');
      r = await bill(m.id, [{ skuId: tee.id, qty: 1 }], [foreign]);
      expect(r.res.status).toBe(404);
      // Another merchant's owner sees none of this: the store's chooser and the templates are not theirs.
      expect((await api.call('GET', `/api/stores/${storeId}/coupons?memberId=${m.id}`, { token: otherOwner })).status).toBe(404);
      expect(couponTemplatesResponse.parse((await api.call('GET', '/api/coupons/templates', { token: otherOwner })).body).items).toEqual([]);
      expect((await api.call('POST', '/api/coupons/issue', { token: otherOwner, body: { memberId: m.id, templateId: (await template({ name: '租户' })).id, idempotencyKey: newId('request') } })).status).toBe(404);
    });

    it('returns give the coupon back once, as the template says: below the threshold, on a full return, or never', async () => {
      const tee = await findSku(api, assistant, 'cmyltx');
      const m = await newMember();
      const ret = (orderIdOf: string, lines?: { orderLineId: string; qty: number }[]) =>
        api.call('POST', '/api/returns', { token: owner, body: { clientReturnId: newId('return'), orderId: orderIdOf, reason: '不想要了', ...(lines ? { lines } : {}) } });
      const sellWith = async (templateId: string): Promise<{ order: OrderView; couponId: string }> => {
        const couponId = await given(m.id, templateId);
        const { res } = await bill(m.id, [{ skuId: tee.id, qty: 3 }], [couponId]);
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        return { order: checkoutResponse.parse(res.body).order, couponId };
      };
      const threshold = tee.memberPriceFen * 2;

      const below = await template({ name: '不满退券', minSpendFen: threshold, offFen: 100, returnPolicy: 'below_threshold' });
      const a = await sellWith(below.id);
      const lineA = a.order.lines[0]!;
      // Keeping 2 of 3 still reaches the threshold: the coupon stays used.
      expect((await ret(a.order.id, [{ orderLineId: lineA.id, qty: 1 }])).status).toBe(201);
      expect((await couponRow(a.couponId)).status).toBe('used');
      // Keeping 1 does not: it comes back.
      expect((await ret(a.order.id, [{ orderLineId: lineA.id, qty: 1 }])).status).toBe(201);
      expect(await couponRow(a.couponId)).toMatchObject({ status: 'available', used_order_id: null });
      // The last unit returned gives nothing more back.
      expect((await ret(a.order.id, [{ orderLineId: lineA.id, qty: 1 }])).status).toBe(201);
      const backs = await api.deps.db.selectFrom('coupon_events').select('kind').where('coupon_id', '=', a.couponId).where('kind', '=', 'given_back').execute();
      expect(backs).toHaveLength(1);
      // And the coupon given back can be used again.
      const reuse = await bill(m.id, [{ skuId: tee.id, qty: 2 }], [a.couponId]);
      expect(reuse.res.status, JSON.stringify(reuse.res.body)).toBe(201);

      const full = await template({ name: '整单退券', minSpendFen: threshold, offFen: 100, returnPolicy: 'full_return' });
      const b = await sellWith(full.id);
      await ret(b.order.id, [{ orderLineId: b.order.lines[0]!.id, qty: 2 }]);
      expect((await couponRow(b.couponId)).status).toBe('used');
      await ret(b.order.id);
      expect((await couponRow(b.couponId)).status).toBe('available');

      const never = await template({ name: '不退券', minSpendFen: threshold, offFen: 100, returnPolicy: 'never' });
      const c = await sellWith(never.id);
      expect((await ret(c.order.id)).status).toBe(201);
      expect((await couponRow(c.couponId)).status).toBe('used');

      // The database refuses a second way back from one order whatever the code does.
      await expect(
        api.deps.db.insertInto('coupon_events').values({ id: newId('couponEvent'), merchant_id: (await couponRow(a.couponId)).merchant_id, coupon_id: a.couponId, kind: 'given_back', order_id: a.order.id }).execute(),
      ).rejects.toThrow();
      expect(await checkInvariants(api)).toEqual(invariantsHold);
    });

    it('the shop order holds the coupon until paid; an unpaid order that expires gives it back', async () => {
      const code = await api.loginCode('wechat', 'o_demo_member_2');
      const shopper = (await api.call('POST', '/api/auth/shopper/login', { body: { platform: 'wechat', code, storeCode: 'DEMO01' } })).body.token as string;
      const t = await template({ name: '商城券', claimable: true, minSpendFen: 0, offFen: 100 });
      const claimed = await api.call('POST', '/api/shop/coupons/claim', { token: shopper, body: { templateId: t.id, idempotencyKey: newId('request') } });
      const couponId = claimed.body.couponId as string;
      const tea = await findSku(api, assistant, 'wlj');
      const mine = couponsResponse.parse((await api.call('GET', `/api/shop/coupons?storeId=${storeId}`, { token: shopper })).body).items.find((c) => c.id === couponId)!;
      const ctx = pricingContextResponse.parse((await api.call('GET', `/api/stores/${storeId}/pricing-context`, { token: shopper })).body);
      const member = await api.deps.db.selectFrom('members').select('id').where('wechat_openid', '=', 'o_demo_member_2').executeTakeFirstOrThrow();
      const preview = priceOrder({ lines: [{ skuId: tea.id, qty: 2, retailPriceFen: tea.retailPriceFen, memberPriceFen: tea.memberPriceFen }], member: { id: member.id, pointsBalance: 0 }, bundles: ctx.bundles, thresholds: ctx.thresholds, coupons: [mine.rule as CouponRule], cashRounding: 'none', cashTender: false });
      const created = await api.call('POST', '/api/shop/orders', { token: shopper, body: { clientOrderId: orderId(), storeId, lines: [{ skuId: tea.id, qty: 2 }], couponIds: [couponId], expectedTotalFen: preview.totalFen } });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.body.order.totalFen).toBe(tea.memberPriceFen * 2 - 100);
      expect((await couponRow(couponId)).status).toBe('used');
      const expired = await expireOpenOrders(api.deps.db, new Date(Date.now() + day_ms));
      expect(expired.orders).toBeGreaterThanOrEqual(1);
      expect(await couponRow(couponId)).toMatchObject({ status: 'available', used_order_id: null });
      const events = await api.deps.db.selectFrom('coupon_events').select('kind').where('coupon_id', '=', couponId).orderBy('id').execute();
      expect(events.map((e) => e.kind)).toEqual(['used', 'released']);
    });

    it('sign-up and level-up coupons issue once per member; a merge moves coupons and their counts', async () => {
      const signUp = await template({ name: '新人券', autoIssue: 'sign_up', perMemberMax: 1 });
      const gold = await template({ name: '金卡礼', autoIssue: 'level_up', autoLevel: '金卡', perMemberMax: 1 });
      const a = await newMember();
      const b = await newMember();
      const merchantId = (await api.deps.db.selectFrom('members').select('merchant_id').where('id', '=', a.id).executeTakeFirstOrThrow()).merchant_id;
      const now = new Date();
      // Making the member at the counter already issued the sign-up coupon; issuing again answers with the same one.
      const made = await api.deps.db.selectFrom('coupons').select('id').where('member_id', '=', a.id).where('template_id', '=', signUp.id).execute();
      expect(made).toHaveLength(1);
      const ofBAtSignUp = await api.deps.db.selectFrom('coupons').select('id').where('member_id', '=', b.id).execute();
      const first = await api.deps.db.transaction().execute((trx) => issueSignUpCoupons(trx, { merchantId, memberId: a.id, now }));
      const second = await api.deps.db.transaction().execute((trx) => issueSignUpCoupons(trx, { merchantId, memberId: a.id, now }));
      expect(first.couponIds).toContain(made[0]!.id);
      expect(second.couponIds).toEqual(first.couponIds);
      await api.deps.db.transaction().execute((trx) => issueLevelUpCoupons(trx, { merchantId, memberId: a.id, level: '金卡', now }));
      await api.deps.db.transaction().execute((trx) => issueLevelUpCoupons(trx, { merchantId, memberId: a.id, level: '金卡', now }));
      const ofA = await api.deps.db.selectFrom('coupons').select(['id', 'template_id']).where('member_id', '=', a.id).execute();
      expect(ofA.filter((c) => c.template_id === signUp.id)).toHaveLength(1);
      expect(ofA.filter((c) => c.template_id === gold.id)).toHaveLength(1);

      await api.deps.db.transaction().execute((trx) => moveCouponsToMember(trx, { merchantId, fromMemberId: a.id, toMemberId: b.id, mergeId: 'merge-test' }));
      const ofB = await api.deps.db.selectFrom('coupons').select('id').where('member_id', '=', b.id).execute();
      expect(ofB.map((c) => c.id).sort()).toEqual([...ofA, ...ofBAtSignUp].map((c) => c.id).sort());
      // The survivor already holds the one sign-up coupon a member may have: issuing again is refused.
      const again = await give(b.id, signUp.id);
      expect(again.status).toBe(409);
      const countA = await api.deps.db.selectFrom('coupon_member_counts').select('issued').where('member_id', '=', a.id).execute();
      expect(countA.every((c) => c.issued === 0)).toBe(true);
    });

    it('a new member gets the sign-up coupons once: made at the counter, or on a first visit from the mini-program', async () => {
      const welcome = await template({ name: '新人见面礼', autoIssue: 'sign_up', perMemberMax: 1 });
      const atCounter = await newMember();
      const counterCoupons = await api.deps.db.selectFrom('coupons').select(['source', 'idempotency_key']).where('member_id', '=', atCounter.id).where('template_id', '=', welcome.id).execute();
      expect(counterCoupons).toEqual([{ source: 'sign_up', idempotency_key: `sign_up:${atCounter.id}:${welcome.id}` }]);

      // Two first visits at once find one member, and only the visit that made the row issues.
      const login = async () => {
        const code = await api.loginCode('wechat', 'o_coupon_first_visit');
        const res = await api.call('POST', '/api/auth/shopper/login', { body: { platform: 'wechat', code, storeCode: 'DEMO01' } });
        expect(res.status).toBe(200);
        return res.body.member.id as string;
      };
      const ids = await Promise.all([login(), login()]);
      expect(ids[1]).toBe(ids[0]);
      await login();
      const visitCoupons = await api.deps.db.selectFrom('coupons').select('source').where('member_id', '=', ids[0]!).where('template_id', '=', welcome.id).execute();
      expect(visitCoupons).toEqual([{ source: 'sign_up' }]);
      // A member who already existed before the template gains nothing by signing in again.
      const later = await template({ name: '新人二号礼', autoIssue: 'sign_up', perMemberMax: 1 });
      await login();
      expect(await api.deps.db.selectFrom('coupons').select('id').where('member_id', '=', ids[0]!).where('template_id', '=', later.id).execute()).toEqual([]);
    });

    it(`reminds a member once of an unused coupon expiring within ${coupon_expiring_notice_hours} hours, from the two-minute payments job`, async () => {
      const m = await newMember();
      const soon = await given(m.id, (await template({ name: '明天到期券', validity: { kind: 'days', days: 1 } })).id);
      const later = await given(m.id, (await template({ name: '下月到期券', validity: { kind: 'days', days: 30 } })).id);
      const merchantId = api.seed.merchantId;
      const told = async () => {
        const rows = await api.deps.db.selectFrom('member_messages').select(['idempotency_key', 'topic', 'data']).where('member_id', '=', m.id).where('topic', '=', 'coupon_expiring').orderBy('created_at').execute();
        return rows.map((r) => ({ key: r.idempotency_key, data: (typeof r.data === 'string' ? JSON.parse(r.data) : r.data) as Record<string, string> }));
      };
      const noticed = async (id: string) => (await api.deps.db.selectFrom('coupons').select('expiry_noticed_at').where('id', '=', id).executeTakeFirstOrThrow()).expiry_noticed_at;

      // The job the cron sends every two minutes runs the sweep before the sender.
      const run = await performJob(api.deps, { job: 'payments', merchantId, slot: 'T1' }, { messageId: null, attempt: 1 });
      expect(run.ok, run.error).toBe(true);
      expect(await told()).toMatchObject([{ key: `coupon_expiring:${soon}`, data: { couponName: '明天到期券' } }]);
      expect(await noticed(soon)).not.toBeNull();
      expect(await noticed(later)).toBeNull();
      // Again: the coupon was told and is not told twice.
      await noticeExpiringCoupons(api.deps.db, { merchantId, now: new Date() });
      expect(await told()).toHaveLength(1);
      // A month on, the later one is within the limit and is told; the first, now expired, is not told again.
      await noticeExpiringCoupons(api.deps.db, { merchantId, now: new Date(Date.now() + 29.5 * day_ms) });
      // (The member's sign-up coupons from the templates above expire then too, and are told as well.)
      const mine = [`coupon_expiring:${soon}`, `coupon_expiring:${later}`];
      expect((await told()).map((t) => t.key).filter((k) => mine.includes(k))).toEqual(mine);
      expect(await told()).toHaveLength(1 + (await api.deps.db.selectFrom('coupons').select('id').where('member_id', '=', m.id).where('id', '<>', soon).execute()).length);
    });
  });
}
