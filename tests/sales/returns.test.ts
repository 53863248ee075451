import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';
import { checkInvariants, findSku, invariantsHold, orderId } from '../_support/selling';
import { checkoutResponse, type OrderView } from '../../shared/api/orders';
import { returnResponse } from '../../shared/api/returns';
import { memberLookupResponse } from '../../shared/api/members';
import { newId } from '../../shared/ids';

for (const target of dbTargets()) {
  describe.skipIf(!target.available)(`returns with tiered permission on ${target.name}`, () => {
    let api: TestApi;
    let assistant: string;
    let manager: string;
    let owner: string;
    let storeId: string;

    beforeAll(async () => {
      api = await startTestApi(target);
      [assistant, manager, owner] = await Promise.all([api.staffToken('o_demo_assistant_1'), api.staffToken('o_demo_manager'), api.staffToken('o_demo_owner')]);
      storeId = api.seed.storeIds.DEMO01!;
    });
    afterAll(async () => api?.stop());

    async function sell(q: string, qty: number, memberPhone?: string): Promise<OrderView> {
      const sku = await findSku(api, assistant, q);
      const member = memberPhone ? memberLookupResponse.parse((await api.call('GET', `/api/members/lookup?phone=${memberPhone}`, { token: assistant })).body).member : undefined;
      const unit = member ? sku.memberPriceFen : sku.retailPriceFen;
      const res = await api.call('POST', '/api/orders', {
        token: assistant,
        body: { clientOrderId: orderId(), storeId, ...(member ? { memberId: member.id } : {}), lines: [{ skuId: sku.id, qty }], tenders: [{ method: 'cash', amountFen: unit * qty }], expectedTotalFen: unit * qty },
      });
      expect(res.status).toBe(201);
      return checkoutResponse.parse(res.body).order;
    }

    const ret = (token: string, body: Record<string, unknown>) => api.call('POST', '/api/returns', { token, body: { clientReturnId: newId('return'), reason: '质量问题', ...body } });

    it('returns a small sale at once: stock back, money back in cash, points taken back, books balanced', async () => {
      const before = await findSku(api, assistant, 'wlj');
      const order = await sell('wlj', 3, '13800000001');
      const pointsBefore = memberLookupResponse.parse((await api.call('GET', '/api/members/lookup?phone=13800000001', { token: assistant })).body).member.points;
      const res = await ret(assistant, { orderId: order.id });
      expect(res.status).toBe(201);
      const r = returnResponse.parse(res.body).return;
      expect(r).toMatchObject({ status: 'completed', amountFen: order.totalFen, pointsClawback: order.pointsEarned });
      expect(r.refunds).toEqual([{ method: 'cash', amountFen: order.totalFen }]);
      expect((await findSku(api, assistant, 'wlj')).available).toBe(before.available);
      const pointsAfter = memberLookupResponse.parse((await api.call('GET', '/api/members/lookup?phone=13800000001', { token: assistant })).body).member.points;
      expect(pointsAfter).toBe(pointsBefore - order.pointsEarned);
      const o = (await api.call('GET', `/api/orders/${order.id}`, { token: assistant })).body.order;
      expect(o).toMatchObject({ status: 'refunded', refundedFen: order.totalFen });
      const again = await ret(assistant, { orderId: order.id });
      expect(again.status).toBe(400);
      expect(await checkInvariants(api)).toEqual(invariantsHold);
    });

    it('returns a line in pieces and refunds exactly its net amount, never more', async () => {
      const order = await sell('ksfbhc', 3);
      const line = order.lines[0]!;
      const parts = [];
      for (const qty of [1, 1, 1]) {
        const res = await ret(assistant, { orderId: order.id, lines: [{ orderLineId: line.id, qty }] });
        expect(res.status).toBe(201);
        parts.push(res.body.return.amountFen as number);
      }
      expect(parts.reduce((a, b) => a + b, 0)).toBe(line.netFen);
      const over = await ret(assistant, { orderId: order.id, lines: [{ orderLineId: line.id, qty: 1 }] });
      expect(over.status).toBe(400);
      expect(await checkInvariants(api)).toEqual(invariantsHold);
    });

    it('holds a return above the assistant\'s limit for a manager, who approves it; the audit log says who and why', async () => {
      const order = await sell('cmyltx', 5); // five T-shirts, above the assistant's 200-yuan limit
      const before = await findSku(api, assistant, 'cmyltx');
      const res = await ret(assistant, { orderId: order.id });
      expect(res.status).toBe(201);
      const pending = returnResponse.parse(res.body).return;
      expect(pending.status).toBe('pending_approval');
      expect((await findSku(api, assistant, 'cmyltx')).available).toBe(before.available);
      const list = await api.call('GET', `/api/returns?storeId=${storeId}&status=pending_approval`, { token: manager });
      expect(list.body.items.map((x: { id: string }) => x.id)).toContain(pending.id);
      expect((await api.call('POST', `/api/returns/${pending.id}/approve`, { token: assistant, body: { note: '自己批' } })).status).toBe(403);
      const ok = await api.call('POST', `/api/returns/${pending.id}/approve`, { token: manager, body: { note: '顾客尺码不合适，同意' } });
      expect(ok.status).toBe(200);
      expect(ok.body.return).toMatchObject({ status: 'completed', decidedBy: { name: '陈店长' }, decisionNote: '顾客尺码不合适，同意' });
      expect((await findSku(api, assistant, 'cmyltx')).available).toBe(before.available + 5);
      expect((await api.call('POST', `/api/returns/${pending.id}/approve`, { token: manager, body: { note: '再批' } })).status).toBe(409);
      const trail = await api.deps.db.selectFrom('audit_log').select(['action', 'actor_id']).where('subject_id', '=', pending.id).orderBy('id').execute();
      expect(trail.map((t) => t.action)).toEqual(['return.requested', 'return.approved']);
      expect(await checkInvariants(api)).toEqual(invariantsHold);
    });

    it('lets a manager reject, and keeps larger returns for the owner', async () => {
      await api.call('PUT', '/api/settings/return-limits', { token: owner, body: { items: [{ role: 'manager', perReturnFen: 100, perDayFen: 1000 }] } });
      const order = await sell('yqsl', 2);
      const pending = (await ret(assistant, { orderId: order.id })).body.return;
      // 200 yuan is within the assistant's default limit, so make this one pend by lowering theirs too.
      if (pending.status === 'completed') {
        expect(pending.amountFen).toBeLessThanOrEqual(20000);
      }
      await api.call('PUT', '/api/settings/return-limits', { token: owner, body: { items: [{ role: 'assistant', perReturnFen: 1, perDayFen: 1 }] } });
      const order2 = await sell('yqsl', 2);
      const p2 = returnResponse.parse((await ret(assistant, { orderId: order2.id })).body).return;
      expect(p2.status).toBe('pending_approval');
      const tooBig = await api.call('POST', `/api/returns/${p2.id}/approve`, { token: manager, body: { note: '同意' } });
      expect(tooBig.status).toBe(403);
      const rejected = await api.call('POST', `/api/returns/${p2.id}/reject`, { token: manager, body: { note: '商品已拆封' } });
      expect(rejected.body.return.status).toBe('rejected');
      expect((await api.call('POST', `/api/returns/${p2.id}/approve`, { token: owner, body: { note: '改批' } })).status).toBe(409);
      const order3 = await sell('yqsl', 1);
      const p3 = returnResponse.parse((await ret(assistant, { orderId: order3.id })).body).return;
      expect((await api.call('POST', `/api/returns/${p3.id}/approve`, { token: owner, body: { note: '店主同意' } })).body.return.status).toBe('completed');
      await api.call('PUT', '/api/settings/return-limits', { token: owner, body: { items: [{ role: 'assistant', perReturnFen: 20000, perDayFen: 50000 }, { role: 'manager', perReturnFen: 200000, perDayFen: 1000000 }] } });
      expect(await checkInvariants(api)).toEqual(invariantsHold);
    });

    it('is idempotent by the client\'s return id and refuses bad requests without writing', async () => {
      const order = await sell('xb', 2);
      const id = newId('return');
      const body = { clientReturnId: id, orderId: order.id, reason: '不想要了' };
      const a = await api.call('POST', '/api/returns', { token: assistant, body });
      const b = await api.call('POST', '/api/returns', { token: assistant, body });
      expect([a.status, b.status]).toEqual([201, 200]);
      expect(b.body.return.id).toBe(a.body.return.id);
      const c = await api.call('POST', '/api/returns', { token: assistant, body: { ...body, reason: '换个理由' } });
      expect(c.status).toBe(409);
      const other = await api.staffToken('o_demo_assistant_2');
      expect((await ret(other, { orderId: order.id })).status).toBe(403);
      expect((await ret(assistant, { orderId: 'ord_01JZZZZZZZZZZZZZZZZZZZZZZZ' })).status).toBe(404);
      expect((await ret(assistant, { orderId: order.id, lines: [{ orderLineId: 'nope', qty: 1 }] })).status).toBe(400);
      expect((await ret(assistant, { orderId: order.id, lines: [{ orderLineId: order.lines[0]!.id, qty: -1 }] })).status).toBe(400);
    });
  });
}
