import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';
import { checkInvariants, findSku, invariantsHold, orderId } from '../_support/selling';
import { seedOtherMerchant } from '../_support/other-merchant';
import { shiftResponse, dayCloseResponse, dayCloseSlipResponse, type ShiftView } from '../../shared/api/shifts';
import { checkoutResponse } from '../../shared/api/orders';
import { store_closes_at_default } from '../../api/_shifts/limits';
import { newId } from '../../shared/ids';
import { businessDate } from '../../api/_kernel/clock';

/**
 * A drawer's day through the API: open with a float, sell in cash and card,
 * pay out petty cash, refund in cash, count short, the manager confirms, the
 * journal carries the shortfall, the day closes once; offline sales synced
 * after the close land in the next shift flagged.
 */
const target = dbTargets().find((t) => t.name === 'pg' && t.available) ?? dbTargets().find((t) => t.available)!;

describe(`shifts and the day close on ${target.name}`, () => {
  let api: TestApi;
  let assistant: string;
  let manager: string;
  let storeId: string;
  const device = 'DEVSHIFT1';

  beforeAll(async () => {
    api = await startTestApi(target, { env: { LOG_LEVEL: 'error' } });
    [assistant, manager] = await Promise.all([api.staffToken('o_demo_assistant_1'), api.staffToken('o_demo_manager')]);
    storeId = api.seed.storeIds.DEMO01!;
  });
  afterAll(async () => api?.stop());

  const open = (token: string, body: Record<string, unknown>) => api.call('POST', '/api/shifts', { token, body: { storeId, deviceId: device, ...body } });
  async function sell(tenders: (fen: number) => { method: string; amountFen: number; reference?: string }[], extra: Record<string, unknown> = {}) {
    const sku = await findSku(api, assistant, 'wlj');
    const total = sku.retailPriceFen * 2;
    const res = await api.call('POST', '/api/orders', { token: assistant, body: { clientOrderId: orderId(), storeId, deviceId: device, lines: [{ skuId: sku.id, qty: 2 }], tenders: tenders(total), expectedTotalFen: total, ...extra } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return checkoutResponse.parse(res.body).order;
  }

  let shift: ShiftView;
  let cashSaleFen = 0;
  let refundFen = 0;

  it('opens one shift per device, idempotent by the device’s id for it', async () => {
    const id = newId('shift');
    const first = await open(assistant, { clientShiftId: id, openingFloatFen: 50_000 });
    expect(first.status).toBe(201);
    shift = shiftResponse.parse(first.body).shift;
    // Overdue once the store's closing time (22:00 unless set) has passed on the shift's day: between 22:00 and midnight Beijing time a new shift already is.
    const pastClosing = Date.now() > Date.parse(`${shift.businessDate}T${store_closes_at_default}:00+08:00`);
    expect(shift).toMatchObject({ status: 'open', openingFloatFen: 50_000, cash: { expectedFen: 50_000 }, overdue: pastClosing });
    expect((await open(assistant, { clientShiftId: id, openingFloatFen: 50_000 })).status).toBe(200);
    expect((await open(assistant, { clientShiftId: id, openingFloatFen: 40_000 })).body.error.code).toBe('idempotency_mismatch');
    const second = await open(assistant, { clientShiftId: newId('shift'), openingFloatFen: 0 });
    expect(second.status).toBe(409);
    expect(second.body.error.message).toContain('未交班');
    const current = await api.call('GET', `/api/shifts/current?storeId=${storeId}&deviceId=${device}`, { token: assistant });
    expect(current.body.shift.id).toBe(id);
  });

  it('takes cash and card sales, cash moves and a cash refund into the drawer’s expected cash', async () => {
    const cash = await sell((t) => [{ method: 'cash', amountFen: t + 1000 }]);
    cashSaleFen = cash.totalFen;
    await sell((t) => [{ method: 'card', amountFen: t, reference: 'POS123456' }]);
    const move = (kind: string, amountFen: number, reason: string) => api.call('POST', `/api/shifts/${shift.id}/cash-moves`, { token: assistant, body: { clientMoveId: newId('cashMove'), kind, amountFen, reason } });
    expect((await move('petty_cash', 2_000, '买垃圾袋')).status).toBe(200);
    expect((await move('change_fund_in', 10_000, '补零钱')).status).toBe(200);
    expect((await move('petty_cash', 0, '无')).status).toBe(400);
    const back = await api.call('POST', '/api/returns', { token: assistant, body: { clientReturnId: newId('return'), orderId: cash.id, lines: [{ orderLineId: cash.lines[0]!.id, qty: 1 }], reason: '顾客不要了', deviceId: device } });
    expect(back.status).toBe(201);
    refundFen = back.body.return.amountFen;
    const now = shiftResponse.parse((await api.call('GET', `/api/shifts/${shift.id}`, { token: assistant })).body).shift;
    expect(now.cash).toEqual({ salesFen: cashSaleFen, refundsFen: refundFen, inFen: 10_000, outFen: 2_000, memberFen: 0, expectedFen: 50_000 + cashSaleFen - refundFen + 10_000 - 2_000 });
    expect(now.tenders.map((t) => t.method).sort()).toEqual(['card', 'cash']);
    expect(now.orderCount).toBe(2);
    shift = now;
  });

  it('takes a member’s cash top-up into the drawer, and the owner’s cash refund of it out', async () => {
    const owner = await api.staffToken('o_demo_owner');
    const before = shiftResponse.parse((await api.call('GET', `/api/shifts/${shift.id}`, { token: assistant })).body).shift;
    const plan = await api.call('POST', '/api/stored-value/plans', { token: owner, body: { name: '充100送10', payFen: 10_000, bonusFen: 1_000 } });
    const made = await api.call('POST', '/api/members', { token: assistant, body: { phone: '13900000777' } });
    const memberId = made.body.member.id as string;
    const topUp = await api.call('POST', `/api/stores/${storeId}/stored-value/top-ups`, { token: assistant, body: { clientTopUpId: newId('storedValueTopUp'), memberId, planId: plan.body.plan.id, method: 'cash' } });
    expect(topUp.status, JSON.stringify(topUp.body)).toBe(201);
    // A card top-up goes through the card terminal, not the drawer.
    const other = (await api.call('POST', '/api/members', { token: assistant, body: { phone: '13900000778' } })).body.member.id as string;
    const byCard = await api.call('POST', `/api/stores/${storeId}/stored-value/top-ups`, { token: assistant, body: { clientTopUpId: newId('storedValueTopUp'), memberId: other, planId: plan.body.plan.id, method: 'card', reference: 'POS777' } });
    expect(byCard.status).toBe(201);
    const topped = shiftResponse.parse((await api.call('GET', `/api/shifts/${shift.id}`, { token: assistant })).body).shift;
    expect(topped.cash).toMatchObject({ memberFen: 10_000, expectedFen: before.cash.expectedFen + 10_000 });
    // The owner pays back the unused principal in cash from the store's drawer (the store's one open shift).
    const refund = await api.call('POST', `/api/members/${memberId}/stored-value/refund`, { token: owner, body: { clientRefundId: newId('storedValueRefund'), storeId, method: 'cash', note: '顾客搬家' } });
    expect(refund.status, JSON.stringify(refund.body)).toBeLessThan(300);
    const principal = Number(refund.body.refund.principalFen);
    expect(principal).toBe(10_000);
    const after = shiftResponse.parse((await api.call('GET', `/api/shifts/${shift.id}`, { token: assistant })).body).shift;
    expect(after.cash).toMatchObject({ memberFen: 10_000 - principal, expectedFen: before.cash.expectedFen + 10_000 - principal });
    shift = after;
  });

  it('counts the drawer two yuan short, journals the shortfall, and only a manager confirms it', async () => {
    const expected = shift.cash.expectedFen;
    // Count in notes and coins to two yuan under what is expected.
    const target = expected - 200;
    const hundreds = Math.floor(target / 10_000);
    let rest = target - hundreds * 10_000;
    const ones = Math.floor(rest / 100);
    rest -= ones * 100;
    const counts = [{ denominationFen: 10_000, count: hundreds }, { denominationFen: 100, count: ones }, { denominationFen: 10, count: rest / 10 }];
    const closed = await api.call('POST', `/api/shifts/${shift.id}/close`, { token: assistant, body: { counts } });
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    const view = shiftResponse.parse(closed.body).shift;
    expect(view).toMatchObject({ status: 'closed', countedFen: target, varianceFen: -200, cash: { expectedFen: expected } });
    expect((await api.call('POST', `/api/shifts/${shift.id}/close`, { token: assistant, body: { counts } })).status).toBe(200);
    expect((await api.call('POST', `/api/shifts/${shift.id}/close`, { token: assistant, body: { counts: [{ denominationFen: 100, count: 1 }] } })).status).toBe(409);
    expect((await api.call('POST', `/api/shifts/${shift.id}/close`, { token: assistant, body: { counts: [{ denominationFen: 300, count: 1 }] } })).status).toBe(400);
    const entry = await api.deps.db.selectFrom('journal_entries').select('id').where('event_key', '=', `shift_variance:${shift.id}`).executeTakeFirstOrThrow();
    const lines = await api.deps.db.selectFrom('journal_lines').select(['account', 'debit_fen', 'credit_fen']).where('entry_id', '=', entry.id).orderBy('account').execute();
    expect(lines.map((l) => [l.account, Number(l.debit_fen), Number(l.credit_fen)])).toEqual([['cash', 0, 200], ['cash_over_short', 200, 0]]);
    expect((await api.call('POST', `/api/shifts/${shift.id}/confirm`, { token: assistant, body: {} })).status).toBe(403);
    const confirmed = await api.call('POST', `/api/shifts/${shift.id}/confirm`, { token: manager, body: { note: '已提醒' } });
    expect(confirmed.body.shift).toMatchObject({ status: 'confirmed', confirmedBy: { name: '陈店长' } });
    shift = confirmed.body.shift;
  });

  it('closes the day once, with takings by tender, returns and the variance, and prints the handover slip', async () => {
    const date = businessDate(new Date());
    const view = dayCloseResponse.parse((await api.call('GET', `/api/day-close?storeId=${storeId}&date=${date}`, { token: manager })).body).dayClose;
    expect(view.openShiftCount).toBe(0);
    expect(view.varianceFen).toBe(-200);
    expect(view.tenders.find((t) => t.method === 'card')?.count).toBeGreaterThanOrEqual(1);
    expect(view.returns.amountFen).toBeGreaterThanOrEqual(refundFen);
    expect((await api.call('POST', '/api/day-close', { token: assistant, body: { storeId, businessDate: date } })).status).toBe(403);
    const closed = await api.call('POST', '/api/day-close', { token: manager, body: { storeId, businessDate: date } });
    expect(closed.body.dayClose.closed.by.name).toBe('陈店长');
    const again = await api.call('POST', '/api/day-close', { token: manager, body: { storeId, businessDate: date } });
    expect(again.body.dayClose.closed.at).toBe(closed.body.dayClose.closed.at);
    const slip = dayCloseSlipResponse.parse((await api.call('GET', `/api/day-close/slip?storeId=${storeId}&date=${date}`, { token: manager })).body);
    expect(slip.lines.join('\n')).toContain('日结交接单');
    expect(slip.lines.join('\n')).toContain('短款 ￥2.00');
    expect(slip.lines.every((l) => l.length <= 32)).toBe(true);
    expect(Buffer.from(slip.escposBase64, 'base64').subarray(0, 2)).toEqual(Buffer.from([0x1b, 0x40]));
  });

  it('lands an offline sale synced after its shift closed in the next shift, flagged', async () => {
    const sku = await findSku(api, assistant, 'wlj');
    const billedAt = new Date(Date.parse(shift.openedAt) + 1000).toISOString();
    const late = { clientOrderId: orderId(), storeId, lines: [{ skuId: sku.id, qty: 1 }], tenders: [{ method: 'cash', amountFen: sku.retailPriceFen }], expectedTotalFen: sku.retailPriceFen, offline: { receiptNo: 'DEVSHIFT1-0001', billedAt } };
    const synced = await api.call('POST', '/api/sync/orders', { token: assistant, body: { deviceId: device, orders: [late] } });
    expect(synced.body.results[0].outcome).toBe('applied');
    const row = await api.deps.db.selectFrom('orders').select(['shift_id', 'shift_late']).where('id', '=', late.clientOrderId).executeTakeFirstOrThrow();
    expect(row).toEqual({ shift_id: null, shift_late: true });
    const next = shiftResponse.parse((await open(assistant, { clientShiftId: newId('shift'), openingFloatFen: 30_000 })).body).shift;
    expect(next).toMatchObject({ lateOrderCount: 1, orderCount: 1, cash: { salesFen: sku.retailPriceFen } });
  });

  it('refuses an offline sale billed too long ago or in the future, and changes nothing', async () => {
    const sku = await findSku(api, assistant, 'wlj');
    const count = async () => Number((await sql<{ n: string }>`select count(*) as n from orders`.execute(api.deps.db)).rows[0]!.n);
    const before = await count();
    for (const billedAt of [new Date(Date.now() - 73 * 3_600_000), new Date(Date.now() + 10 * 60_000)]) {
      const res = await api.call('POST', '/api/orders', { token: assistant, body: { clientOrderId: orderId(), storeId, deviceId: device, lines: [{ skuId: sku.id, qty: 1 }], tenders: [{ method: 'cash', amountFen: sku.retailPriceFen }], expectedTotalFen: sku.retailPriceFen, offline: { receiptNo: 'DEVSHIFT1-0009', billedAt: billedAt.toISOString() } } });
      expect(res.status).toBe(400);
      expect(res.body.error.fields[0].path).toBe('offline.billedAt');
    }
    expect(await count()).toBe(before);
  });

  it('shows another merchant’s staff nothing of this store’s shifts', async () => {
    const other = await seedOtherMerchant(api.deps.db);
    expect(other.storeId).not.toBe(storeId);
    const token = await api.staffToken('o_other_owner');
    expect((await api.call('GET', `/api/shifts/${shift.id}`, { token })).status).toBe(404);
    expect((await api.call('GET', `/api/day-close?storeId=${storeId}&date=${businessDate(new Date())}`, { token })).status).toBe(404);
    expect(await checkInvariants(api)).toEqual(invariantsHold);
  });
});
