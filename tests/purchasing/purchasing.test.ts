import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';
import { seedOtherMerchant } from '../_support/other-merchant';
import { checkInvariants, findSku, invariantsHold, orderId } from '../_support/selling';
import { newId } from '../../shared/ids';
import {
  agingResponse,
  payablesResponse,
  purchase_order_lines_max,
  purchaseOrderResponse,
  purchaseReceiptResponse,
  purchaseReturnResponse,
  purchasesReportResponse,
  reorderResponse,
  statementResponse,
  supplierPaymentResponse,
  supplierResponse,
} from '../../shared/api/purchasing';
import { checkoutResponse } from '../../shared/api/orders';
import { averageAfterReceipt } from '../../api/_purchasing/costing';

/** 10:00 in Shanghai on 2026-03-02; the suite moves the API's clock forward from here. */
const day0 = new Date('2026-03-02T02:00:00Z');
const days = (n: number) => new Date(day0.getTime() + n * 86_400_000);

for (const target of dbTargets()) {
  describe.skipIf(!target.available)(`purchasing on ${target.name}`, () => {
    let api: TestApi;
    let owner: string;
    let manager: string;
    let assistant: string;
    let other: string;
    let demo01: string;
    let demo02: string;
    let supplierId: string;
    let otherSupplierId: string;
    let poId: string;
    let wlj: { id: string; retailPriceFen: number };
    let hn: { id: string };

    /** Signs everyone in again: tokens are checked against the API's clock, which the suite moves. */
    async function signIn() {
      [owner, manager, assistant, other] = await Promise.all([api.staffToken('o_demo_owner'), api.staffToken('o_demo_manager'), api.staffToken('o_demo_assistant_1'), api.staffToken('o_other_owner')]);
    }
    async function at(when: Date) {
      api.setNow(when);
      await signIn();
    }

    beforeAll(async () => {
      api = await startTestApi(target);
      await seedOtherMerchant(api.deps.db);
      demo01 = api.seed.storeIds.DEMO01!;
      demo02 = api.seed.storeIds.DEMO02!;
      await at(day0);
      wlj = await findSku(api, owner, 'wlj');
      hn = await findSku(api, owner, 'hnw');
    });
    afterAll(async () => api?.stop());

    const db = () => api.deps.db;
    async function counts() {
      const n = async (table: 'purchase_receipts' | 'stock_movements' | 'journal_entries' | 'supplier_payments' | 'payable_allocations' | 'purchase_returns' | 'sku_cost_history' | 'purchase_orders') =>
        Number((await db().selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      return {
        orders: await n('purchase_orders'),
        receipts: await n('purchase_receipts'),
        returns: await n('purchase_returns'),
        payments: await n('supplier_payments'),
        allocations: await n('payable_allocations'),
        movements: await n('stock_movements'),
        entries: await n('journal_entries'),
        costHistory: await n('sku_cost_history'),
      };
    }
    async function onHand(storeId: string, skuId: string) {
      const row = await db().selectFrom('stock_levels').select('on_hand').where('store_id', '=', storeId).where('sku_id', '=', skuId).executeTakeFirst();
      return row?.on_hand ?? 0;
    }
    async function avgCost(storeId: string, skuId: string) {
      const row = await db().selectFrom('sku_store_costs').select('avg_cost_fen').where('store_id', '=', storeId).where('sku_id', '=', skuId).executeTakeFirst();
      if (row) return row.avg_cost_fen;
      return (await db().selectFrom('skus').select('cost_fen').where('id', '=', skuId).executeTakeFirstOrThrow()).cost_fen;
    }
    async function entryLines(eventKey: string) {
      return db()
        .selectFrom('journal_lines as l')
        .innerJoin('journal_entries as e', 'e.id', 'l.entry_id')
        .select(['l.account', 'l.debit_fen', 'l.credit_fen'])
        .where('e.event_key', '=', eventKey)
        .orderBy('l.line_no')
        .execute();
    }
    const createPo = (token: string, body: Record<string, unknown>) => api.call('POST', '/api/purchasing/orders', { token, body });

    it('suppliers: owner and manager keep them, an assistant cannot, another merchant cannot see them', async () => {
      const res = await api.call('POST', '/api/purchasing/suppliers', { token: owner, body: { name: '广州饮料批发', contact: '刘经理', phone: '020-12345678', paymentTermsDays: 30, leadTimeDays: 2 } });
      expect(res.status).toBe(201);
      supplierId = supplierResponse.parse(res.body).supplier.id;
      const second = await api.call('POST', '/api/purchasing/suppliers', { token: manager, body: { name: '佛山日化', paymentTermsDays: 0 } });
      expect(second.status).toBe(201);
      otherSupplierId = second.body.supplier.id;
      expect(second.body.supplier).toMatchObject({ contact: '', phone: '', leadTimeDays: 3, active: true });

      expect((await api.call('POST', '/api/purchasing/suppliers', { token: owner, body: { name: '广州饮料批发', paymentTermsDays: 10 } })).status).toBe(409);
      expect((await api.call('POST', '/api/purchasing/suppliers', { token: owner, body: { name: '坏账期', paymentTermsDays: 366 } })).status).toBe(400);
      expect((await api.call('POST', '/api/purchasing/suppliers', { token: assistant, body: { name: '店员建的', paymentTermsDays: 1 } })).status).toBe(403);
      expect((await api.call('GET', '/api/purchasing/suppliers', { token: assistant })).status).toBe(403);

      const patched = await api.call('PATCH', `/api/purchasing/suppliers/${otherSupplierId}`, { token: manager, body: { contact: '黄小姐', leadTimeDays: 5 } });
      expect(patched.status).toBe(200);
      expect(patched.body.supplier).toMatchObject({ name: '佛山日化', contact: '黄小姐', leadTimeDays: 5, paymentTermsDays: 0 });
      const list = await api.call('GET', '/api/purchasing/suppliers', { token: manager });
      expect(list.body.items.map((s: { name: string }) => s.name).sort()).toEqual(['佛山日化', '广州饮料批发']);

      expect((await api.call('GET', `/api/purchasing/suppliers/${supplierId}`, { token: other })).status).toBe(404);
      expect((await api.call('PATCH', `/api/purchasing/suppliers/${supplierId}`, { token: other, body: { active: false } })).status).toBe(404);
      expect((await api.call('GET', '/api/purchasing/suppliers', { token: other })).body.items).toEqual([]);
    });

    it('creates a purchase order once per client id; other content under that id is a 409, and limits are named', async () => {
      poId = newId('purchaseOrder');
      const body = { id: poId, supplierId, storeId: demo01, expectedDate: '2026-03-05', lines: [{ skuId: wlj.id, qty: 24, unitCostFen: 250 }, { skuId: hn.id, qty: 10, unitCostFen: 420 }] };
      const res = await createPo(owner, body);
      expect(res.status).toBe(201);
      const po = purchaseOrderResponse.parse(res.body).order;
      expect(po).toMatchObject({ status: 'ordered', orderedFen: 24 * 250 + 10 * 420, receivedFen: 0, supplierName: '广州饮料批发' });
      const again = await createPo(owner, body);
      expect(again.status).toBe(200);
      expect(again.body.replayed).toBe(true);
      expect(again.body.order.id).toBe(poId);
      const before = await counts();
      const changed = await createPo(owner, { ...body, lines: [{ skuId: wlj.id, qty: 25, unitCostFen: 250 }] });
      expect(changed.status).toBe(409);
      expect(changed.body.error.code).toBe('idempotency_mismatch');

      const tooMany = Array.from({ length: purchase_order_lines_max + 1 }, () => ({ skuId: wlj.id, qty: 1, unitCostFen: 1 }));
      const over = await createPo(owner, { id: newId('purchaseOrder'), supplierId, storeId: demo01, lines: tooMany });
      expect(over.status).toBe(400);
      expect(over.body.error.message).toContain('purchase_order_lines_max');
      expect((await createPo(owner, { id: newId('purchaseOrder'), supplierId, storeId: demo01, lines: [{ skuId: wlj.id, qty: 1, unitCostFen: 1 }, { skuId: wlj.id, qty: 2, unitCostFen: 1 }] })).status).toBe(400);
      expect((await createPo(owner, { id: newId('purchaseOrder'), supplierId, storeId: demo01, lines: [{ skuId: wlj.id, qty: 0, unitCostFen: 1 }] })).status).toBe(400);
      expect((await createPo(owner, { id: newId('purchaseOrder'), supplierId, storeId: demo01, lines: [{ skuId: wlj.id, qty: 1, unitCostFen: -1 }] })).status).toBe(400);
      expect(await counts()).toEqual(before);
    });

    it('keeps assistants out and other merchants and stores apart', async () => {
      const body = { id: newId('purchaseOrder'), supplierId, storeId: demo01, lines: [{ skuId: wlj.id, qty: 1, unitCostFen: 250 }] };
      expect((await createPo(assistant, body)).status).toBe(403);
      expect((await api.call('GET', `/api/purchasing/orders/${poId}`, { token: assistant })).status).toBe(403);
      expect((await api.call('POST', `/api/purchasing/orders/${poId}/receipts`, { token: assistant, body: { receiptId: newId('purchaseReceipt'), lines: [{ skuId: wlj.id, qty: 1 }] } })).status).toBe(403);
      // Another merchant's order does not exist for this caller, whatever they try.
      expect((await api.call('GET', `/api/purchasing/orders/${poId}`, { token: other })).status).toBe(404);
      expect((await api.call('POST', `/api/purchasing/orders/${poId}/receipts`, { token: other, body: { receiptId: newId('purchaseReceipt'), lines: [{ skuId: wlj.id, qty: 1 }] } })).status).toBe(404);
      expect((await api.call('POST', `/api/purchasing/orders/${poId}/cancel`, { token: other })).status).toBe(404);
      expect((await createPo(other, { ...body, id: newId('purchaseOrder') })).status).toBe(404);
      // The manager works in DEMO01 only.
      expect((await createPo(manager, { ...body, storeId: demo02 })).status).toBe(403);
      const po02 = await createPo(owner, { ...body, id: newId('purchaseOrder'), storeId: demo02 });
      expect(po02.status).toBe(201);
      expect((await api.call('GET', `/api/purchasing/orders/${po02.body.order.id}`, { token: manager })).status).toBe(403);
      expect((await api.call('GET', '/api/purchasing/orders', { token: manager })).body.items.every((o: { storeId: string }) => o.storeId === demo01)).toBe(true);
      expect((await api.call('POST', `/api/purchasing/orders/${po02.body.order.id}/cancel`, { token: owner })).body.order.status).toBe('cancelled');
    });

    it('receives only ordered orders: a draft must be ordered first, a cancelled one never', async () => {
      const id = newId('purchaseOrder');
      expect((await createPo(manager, { id, supplierId, storeId: demo01, status: 'draft', lines: [{ skuId: hn.id, qty: 2, unitCostFen: 400 }] })).body.order.status).toBe('draft');
      const receive = () => api.call('POST', `/api/purchasing/orders/${id}/receipts`, { token: manager, body: { receiptId: newId('purchaseReceipt'), lines: [{ skuId: hn.id, qty: 1 }] } });
      const before = await counts();
      expect((await receive()).status).toBe(409);
      expect((await api.call('POST', `/api/purchasing/orders/${id}/submit`, { token: manager })).body.order.status).toBe('ordered');
      expect((await api.call('POST', `/api/purchasing/orders/${id}/submit`, { token: manager })).status).toBe(409);
      expect((await api.call('POST', `/api/purchasing/orders/${id}/cancel`, { token: manager })).body.order.status).toBe('cancelled');
      expect((await receive()).status).toBe(409);
      expect((await api.call('POST', `/api/purchasing/orders/${id}/cancel`, { token: manager })).status).toBe(409);
      expect(await counts()).toEqual({ ...before });
      const cancelled = await api.call('GET', `/api/purchasing/orders?status=cancelled&storeId=${demo01}`, { token: manager });
      expect(cancelled.body.items.map((o: { id: string }) => o.id)).toContain(id);
    });

    it('receives part of an order: stock in through the ledger, moving-average cost, a payable, the journal entry; a retry changes nothing', async () => {
      const stockBefore = await onHand(demo01, wlj.id);
      const avgBefore = await avgCost(demo01, wlj.id);
      const receiptId = newId('purchaseReceipt');
      const res = await api.call('POST', `/api/purchasing/orders/${poId}/receipts`, { token: manager, body: { receiptId, lines: [{ skuId: wlj.id, qty: 10 }] } });
      expect(res.status).toBe(201);
      const r = purchaseReceiptResponse.parse(res.body);
      expect(r.order.status).toBe('partially_received');
      expect(r.order.receivedFen).toBe(2500);
      expect(r.order.lines.find((l) => l.skuId === wlj.id)).toMatchObject({ qty: 24, receivedQty: 10 });
      expect(await onHand(demo01, wlj.id)).toBe(stockBefore + 10);
      // Worked independently: (on hand × catalog cost + 10 × 250) / (on hand + 10), half up.
      const expectedAvg = stockBefore <= 0 ? 250 : Math.floor((2 * (stockBefore * avgBefore + 2500) + (stockBefore + 10)) / (2 * (stockBefore + 10)));
      expect(await avgCost(demo01, wlj.id)).toBe(expectedAvg);
      expect(await avgCost(demo01, wlj.id)).toBe(averageAfterReceipt(stockBefore, avgBefore, 10, 250));
      const moves = await db().selectFrom('stock_movements').select(['kind', 'on_hand_delta', 'idempotency_key']).where('ref_id', '=', receiptId).execute();
      expect(moves).toEqual([{ kind: 'purchase_receipt', on_hand_delta: 10, idempotency_key: `purchase_receipt:${receiptId}:1` }]);
      expect(await entryLines(`purchase_receipt:${receiptId}`)).toEqual([
        { account: 'inventory', debit_fen: 2500, credit_fen: 0 },
        { account: 'payables', debit_fen: 0, credit_fen: 2500 },
      ]);
      const payables = payablesResponse.parse((await api.call('GET', `/api/purchasing/payables?supplierId=${supplierId}`, { token: owner })).body).items;
      expect(payables).toHaveLength(1);
      expect(payables[0]).toMatchObject({ id: r.payableId, amountFen: 2500, balanceFen: 2500, businessDate: '2026-03-02', dueDate: '2026-04-01', daysOverdue: 0 });

      const before = await counts();
      const again = await api.call('POST', `/api/purchasing/orders/${poId}/receipts`, { token: manager, body: { receiptId, lines: [{ skuId: wlj.id, qty: 10 }] } });
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ replayed: true, receiptId, payableId: r.payableId });
      const reused = await api.call('POST', `/api/purchasing/orders/${poId}/receipts`, { token: manager, body: { receiptId, lines: [{ skuId: wlj.id, qty: 11 }] } });
      expect(reused.status).toBe(409);
      expect(await counts()).toEqual(before);
    });

    it('refuses to receive more than remains, or goods not on the order, and writes nothing', async () => {
      const before = await counts();
      const stock = await onHand(demo01, wlj.id);
      const over = await api.call('POST', `/api/purchasing/orders/${poId}/receipts`, { token: owner, body: { receiptId: newId('purchaseReceipt'), lines: [{ skuId: hn.id, qty: 10 }, { skuId: wlj.id, qty: 15 }] } });
      expect(over.status).toBe(400);
      expect(over.body.error.message).toContain('未收 14');
      const notOnOrder = await findSku(api, owner, 'mdw');
      expect((await api.call('POST', `/api/purchasing/orders/${poId}/receipts`, { token: owner, body: { receiptId: newId('purchaseReceipt'), lines: [{ skuId: notOnOrder.id, qty: 1 }] } })).status).toBe(400);
      expect(await counts()).toEqual(before);
      expect(await onHand(demo01, wlj.id)).toBe(stock);
      expect((await api.call('GET', `/api/purchasing/orders/${poId}`, { token: owner })).body.order.lines.map((l: { receivedQty: number }) => l.receivedQty)).toEqual([10, 0]);
    });

    it('receives the rest (exactly what remains), then the order is received and a sale costs at the moving average', async () => {
      await at(days(3));
      const res = await api.call('POST', `/api/purchasing/orders/${poId}/receipts`, { token: owner, body: { receiptId: newId('purchaseReceipt'), lines: [{ skuId: wlj.id, qty: 14 }, { skuId: hn.id, qty: 10 }] } });
      expect(res.status).toBe(201);
      expect(res.body.order.status).toBe('received');
      expect(res.body.order.receivedFen).toBe(24 * 250 + 10 * 420);
      const more = await api.call('POST', `/api/purchasing/orders/${poId}/receipts`, { token: owner, body: { receiptId: newId('purchaseReceipt'), lines: [{ skuId: wlj.id, qty: 1 }] } });
      expect(more.status).toBe(400);

      const avg = await avgCost(demo01, wlj.id);
      const sale = await api.call('POST', '/api/orders', {
        token: assistant,
        body: { clientOrderId: orderId(), storeId: demo01, lines: [{ skuId: wlj.id, qty: 2 }], tenders: [{ method: 'cash', amountFen: wlj.retailPriceFen * 2 }], expectedTotalFen: wlj.retailPriceFen * 2 },
      });
      expect(sale.status).toBe(201);
      const order = checkoutResponse.parse(sale.body).order;
      const line = await db().selectFrom('order_lines').select('cost_fen').where('order_id', '=', order.id).executeTakeFirstOrThrow();
      expect(line.cost_fen).toBe(avg * 2);
      const cogs = await entryLines(`sale:${order.id}`);
      expect(cogs.find((l) => l.account === 'cost_of_goods')?.debit_fen).toBe(avg * 2);
      // DEMO02 has no purchase cost yet: it still sells at the catalog cost.
      expect(await avgCost(demo02, wlj.id)).toBe((await db().selectFrom('skus').select('cost_fen').where('id', '=', wlj.id).executeTakeFirstOrThrow()).cost_fen);
    });

    it('returns goods to the supplier within what was received and is on hand; the payable shrinks', async () => {
      const before = await counts();
      const stock = await onHand(demo01, hn.id);
      const tooMany = await api.call('POST', `/api/purchasing/orders/${poId}/returns`, { token: owner, body: { returnId: newId('purchaseReturn'), reason: '临期', lines: [{ skuId: hn.id, qty: 11 }] } });
      expect(tooMany.status).toBe(400);
      expect(await counts()).toEqual(before);

      const returnId = newId('purchaseReturn');
      const res = await api.call('POST', `/api/purchasing/orders/${poId}/returns`, { token: manager, body: { returnId, reason: '包装破损', lines: [{ skuId: hn.id, qty: 3 }] } });
      expect(res.status).toBe(201);
      const r = purchaseReturnResponse.parse(res.body);
      expect(r.valueFen).toBe(3 * 420);
      expect(r.order.lines.find((l) => l.skuId === hn.id)).toMatchObject({ receivedQty: 10, returnedQty: 3 });
      expect(await onHand(demo01, hn.id)).toBe(stock - 3);
      expect(await entryLines(`purchase_return:${returnId}`)).toEqual([
        { account: 'payables', debit_fen: 1260, credit_fen: 0 },
        { account: 'inventory', debit_fen: 0, credit_fen: 1260 },
      ]);
      // The credit settles this order's payables first: the second receipt (7700) is the open one of this PO due first after the first (2500).
      const allocated = await db().selectFrom('payable_allocations').select(['amount_fen']).where('source_id', '=', returnId).execute();
      expect(allocated.reduce((s, a) => s + a.amount_fen, 0)).toBe(1260);
      const again = await api.call('POST', `/api/purchasing/orders/${poId}/returns`, { token: manager, body: { returnId, reason: '包装破损', lines: [{ skuId: hn.id, qty: 3 }] } });
      expect(again.status).toBe(200);
      expect(again.body.replayed).toBe(true);
      const left = await api.call('POST', `/api/purchasing/orders/${poId}/returns`, { token: owner, body: { returnId: newId('purchaseReturn'), reason: '临期', lines: [{ skuId: hn.id, qty: 8 }] } });
      expect(left.status).toBe(400);
      expect(left.body.error.message).toContain('可退 7');
    });

    it('refuses a return of goods no longer on hand', async () => {
      // Another order of 2 cans, received, then the shelf is sold down below it.
      const id = newId('purchaseOrder');
      const md = await findSku(api, owner, 'mdw');
      expect((await createPo(owner, { id, supplierId: otherSupplierId, storeId: demo01, lines: [{ skuId: md.id, qty: 2, unitCostFen: 300 }] })).status).toBe(201);
      expect((await api.call('POST', `/api/purchasing/orders/${id}/receipts`, { token: owner, body: { receiptId: newId('purchaseReceipt'), lines: [{ skuId: md.id, qty: 2 }] } })).status).toBe(201);
      const available = (await findSku(api, owner, 'mdw')).available;
      const sale = await api.call('POST', '/api/orders', {
        token: assistant,
        body: { clientOrderId: orderId(), storeId: demo01, lines: [{ skuId: md.id, qty: available - 1 }], tenders: [{ method: 'cash', amountFen: md.retailPriceFen * (available - 1) }], expectedTotalFen: md.retailPriceFen * (available - 1) },
      });
      expect(sale.status).toBe(201);
      const before = await counts();
      const res = await api.call('POST', `/api/purchasing/orders/${id}/returns`, { token: owner, body: { returnId: newId('purchaseReturn'), reason: '滞销', lines: [{ skuId: md.id, qty: 2 }] } });
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('insufficient_stock');
      expect(await counts()).toEqual(before);
      expect((await api.call('POST', `/api/purchasing/orders/${id}/returns`, { token: owner, body: { returnId: newId('purchaseReturn'), reason: '滞销', lines: [{ skuId: md.id, qty: 1 }] } })).status).toBe(201);
    });

    it('pays suppliers oldest first or as named, never more than is owed, once per client id', async () => {
      const open = payablesResponse.parse((await api.call('GET', `/api/purchasing/payables?supplierId=${supplierId}`, { token: owner })).body).items;
      const owed = open.reduce((s, p) => s + p.balanceFen, 0);
      expect(owed).toBe(24 * 250 + 10 * 420 - 1260);
      const before = await counts();
      const tooMuch = await api.call('POST', '/api/purchasing/payments', { token: owner, body: { id: newId('supplierPayment'), supplierId, amountFen: owed + 1 } });
      expect(tooMuch.status).toBe(400);
      expect(tooMuch.body.error.message).toContain('超过');
      expect((await api.call('POST', '/api/purchasing/payments', { token: assistant, body: { id: newId('supplierPayment'), supplierId, amountFen: 1 } })).status).toBe(403);
      expect((await api.call('POST', '/api/purchasing/payments', { token: other, body: { id: newId('supplierPayment'), supplierId, amountFen: 1 } })).status).toBe(404);
      expect((await api.call('POST', '/api/purchasing/payments', { token: owner, body: { id: newId('supplierPayment'), supplierId, amountFen: 0 } })).status).toBe(400);
      const wrongSplit = await api.call('POST', '/api/purchasing/payments', { token: owner, body: { id: newId('supplierPayment'), supplierId, amountFen: 100, allocations: [{ payableId: open[0]!.id, amountFen: 99 }] } });
      expect(wrongSplit.status).toBe(400);
      expect(await counts()).toEqual(before);

      const payId = newId('supplierPayment');
      const first = await api.call('POST', '/api/purchasing/payments', { token: manager, body: { id: payId, supplierId, amountFen: 3000, method: 'bank' } });
      expect(first.status).toBe(201);
      const payment = supplierPaymentResponse.parse(first.body).payment;
      // Oldest due first: the first receipt's 2500 in full, then 500 of the next.
      expect(payment.allocations.sort((a, b) => (a.payableId === open[0]!.id ? -1 : b.payableId === open[0]!.id ? 1 : 0))).toEqual([
        { payableId: open[0]!.id, amountFen: open[0]!.balanceFen },
        { payableId: open[1]!.id, amountFen: 3000 - open[0]!.balanceFen },
      ]);
      expect(await entryLines(`supplier_payment:${payId}`)).toEqual([
        { account: 'payables', debit_fen: 3000, credit_fen: 0 },
        { account: 'bank', debit_fen: 0, credit_fen: 3000 },
      ]);
      const replay = await api.call('POST', '/api/purchasing/payments', { token: manager, body: { id: payId, supplierId, amountFen: 3000, method: 'bank' } });
      expect(replay.status).toBe(200);
      expect(replay.body.replayed).toBe(true);
      expect((await api.call('POST', '/api/purchasing/payments', { token: manager, body: { id: payId, supplierId, amountFen: 3001, method: 'bank' } })).status).toBe(409);

      const named = await api.call('POST', '/api/purchasing/payments', { token: owner, body: { id: newId('supplierPayment'), supplierId, amountFen: 40, method: 'cash', allocations: [{ payableId: open[1]!.id, amountFen: 40 }] } });
      expect(named.status).toBe(201);
      const after = payablesResponse.parse((await api.call('GET', `/api/purchasing/payables?supplierId=${supplierId}`, { token: owner })).body).items;
      expect(after.reduce((s, p) => s + p.balanceFen, 0)).toBe(owed - 3040);
      expect(after.map((p) => p.id)).toEqual([open[1]!.id]);
    });

    it('refuses to return goods the supplier has already been paid for in full, and writes nothing', async () => {
      const id = newId('purchaseOrder');
      expect((await createPo(owner, { id, supplierId: otherSupplierId, storeId: demo01, lines: [{ skuId: hn.id, qty: 2, unitCostFen: 410 }] })).status).toBe(201);
      expect((await api.call('POST', `/api/purchasing/orders/${id}/receipts`, { token: owner, body: { receiptId: newId('purchaseReceipt'), lines: [{ skuId: hn.id, qty: 2 }] } })).status).toBe(201);
      const owed = payablesResponse.parse((await api.call('GET', `/api/purchasing/payables?supplierId=${otherSupplierId}`, { token: owner })).body).items;
      const payable = owed.find((p) => p.amountFen === 820)!;
      expect((await api.call('POST', '/api/purchasing/payments', { token: owner, body: { id: newId('supplierPayment'), supplierId: otherSupplierId, amountFen: 820, allocations: [{ payableId: payable.id, amountFen: 820 }] } })).status).toBe(201);
      const left = owed.filter((p) => p.id !== payable.id).reduce((s, p) => s + p.balanceFen, 0);
      expect(left).toBe(300);
      const before = await counts();
      const res = await api.call('POST', `/api/purchasing/orders/${id}/returns`, { token: owner, body: { returnId: newId('purchaseReturn'), reason: '破损', lines: [{ skuId: hn.id, qty: 1 }] } });
      // 410 fen of goods back against 300 still owed: the supplier would owe the shop, which is not booked here.
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('应付余额');
      expect(await counts()).toEqual(before);
    });

    it('ages what is owed by days past due', async () => {
      // The second receipt was on 2026-03-05 with 30 days' terms: due 2026-04-04. On 2026-05-20 it is 46 days overdue.
      await at(new Date('2026-05-20T04:00:00Z'));
      const aging = agingResponse.parse((await api.call('GET', '/api/purchasing/payables/aging', { token: owner })).body);
      expect(aging.asOf).toBe('2026-05-20');
      const open = payablesResponse.parse((await api.call('GET', '/api/purchasing/payables', { token: owner })).body).items;
      const gz = aging.items.find((i) => i.supplierId === supplierId)!;
      const gzOwed = open.filter((p) => p.supplierId === supplierId).reduce((s, p) => s + p.balanceFen, 0);
      expect(gz).toMatchObject({ current: 0, d1_30: 0, d31_60: gzOwed, d61_90: 0, d90_plus: 0, totalFen: gzOwed });
      // The other supplier's terms are 0 days: its receipt of 2026-03-05 (600, less the 300 returned) is 76 days overdue.
      const fs = aging.items.find((i) => i.supplierId === otherSupplierId)!;
      expect(fs).toMatchObject({ d61_90: 300, totalFen: 300 });
      expect(aging.totals.totalFen).toBe(open.reduce((s, p) => s + p.balanceFen, 0));
      await at(days(3));
    });

    it('states a supplier account for a period, each row traceable, matching a replay of the records', async () => {
      const st = statementResponse.parse((await api.call('GET', `/api/purchasing/suppliers/${supplierId}/statement?from=2026-03-03&to=2026-03-31`, { token: owner })).body);
      // Independently: every receipt, return and payment of the supplier, from the tables, split at the period start.
      const receipts = await db().selectFrom('purchase_receipts').select(['id', 'value_fen', 'business_date']).where('supplier_id', '=', supplierId).execute();
      const returns = await db().selectFrom('purchase_returns').select(['id', 'value_fen', 'business_date']).where('supplier_id', '=', supplierId).execute();
      const payments = await db().selectFrom('supplier_payments').select(['id', 'amount_fen', 'business_date']).where('supplier_id', '=', supplierId).execute();
      const inPeriod = (d: string) => d >= '2026-03-03' && d <= '2026-03-31';
      const opening = receipts.filter((r) => r.business_date < '2026-03-03').reduce((s, r) => s + r.value_fen, 0);
      expect(opening).toBe(2500);
      expect(st.openingFen).toBe(opening);
      expect(st.receiptsFen).toBe(receipts.filter((r) => inPeriod(r.business_date)).reduce((s, r) => s + r.value_fen, 0));
      expect(st.returnsFen).toBe(returns.filter((r) => inPeriod(r.business_date)).reduce((s, r) => s + r.value_fen, 0));
      expect(st.paymentsFen).toBe(payments.filter((p) => inPeriod(p.business_date)).reduce((s, p) => s + p.amount_fen, 0));
      expect(st.closingFen).toBe(st.openingFen + st.receiptsFen - st.returnsFen - st.paymentsFen);
      expect(st).toMatchObject({ receiptsFen: 7700, returnsFen: 1260, paymentsFen: 3040, closingFen: 2500 + 7700 - 1260 - 3040 });
      // Each row names its record, and the running balance ends at the closing balance.
      const ids = new Set([...receipts, ...returns, ...payments].map((r) => r.id));
      expect(st.rows.every((r) => ids.has(r.refId))).toBe(true);
      expect(st.rows.map((r) => r.kind).sort()).toEqual(['payment', 'payment', 'receipt', 'return']);
      expect(st.rows.at(-1)!.balanceFen).toBe(st.closingFen);
      // The closing balance is what the payables still show as owed.
      const owed = payablesResponse.parse((await api.call('GET', `/api/purchasing/payables?supplierId=${supplierId}`, { token: owner })).body).items.reduce((s, p) => s + p.balanceFen, 0);
      expect(st.closingFen).toBe(owed);
      const before = statementResponse.parse((await api.call('GET', `/api/purchasing/suppliers/${supplierId}/statement?from=2026-01-01&to=2026-03-01`, { token: owner })).body);
      expect(before).toMatchObject({ openingFen: 0, closingFen: 0, rows: [] });
      expect((await api.call('GET', `/api/purchasing/suppliers/${supplierId}/statement?from=2026-03-31&to=2026-03-01`, { token: owner })).status).toBe(400);
      expect((await api.call('GET', `/api/purchasing/suppliers/${supplierId}/statement?from=2026-03-01&to=2026-03-31`, { token: other })).status).toBe(404);
    });

    it('reports purchases by supplier, SKU and store at purchase price', async () => {
      const bySupplier = purchasesReportResponse.parse((await api.call('GET', '/api/purchasing/report?from=2026-03-01&to=2026-03-31', { token: owner })).body);
      const gz = bySupplier.items.find((i) => i.key === supplierId)!;
      expect(gz).toMatchObject({ name: '广州饮料批发', receivedQty: 34, receivedFen: 10200, returnedQty: 3, returnedFen: 1260, netFen: 8940 });
      const bySku = purchasesReportResponse.parse((await api.call('GET', '/api/purchasing/report?from=2026-03-01&to=2026-03-31&groupBy=sku', { token: owner })).body);
      expect(bySku.totals).toEqual(bySupplier.totals);
      expect(bySku.items.find((i) => i.key === wlj.id)).toMatchObject({ receivedQty: 24, receivedFen: 6000 });
      const byStore = purchasesReportResponse.parse((await api.call('GET', `/api/purchasing/report?from=2026-03-01&to=2026-03-31&groupBy=store&storeId=${demo01}`, { token: manager })).body);
      expect(byStore.items).toHaveLength(1);
      expect(byStore.totals).toEqual(bySupplier.totals);
      const receiptSum = await sql<{ v: number }>`select coalesce(sum(value_fen), 0)::bigint as v from purchase_receipts`.execute(db());
      expect(bySupplier.totals.receivedFen).toBe(Number(receiptSum.rows[0]!.v));
      expect((await api.call('GET', `/api/purchasing/report?from=2026-03-01&to=2026-03-31&storeId=${demo02}`, { token: manager })).status).toBe(403);
    });

    it('suggests reorders from net sales, lead time, available stock and what is on order', async () => {
      // Sell 王老吉 in DEMO02 over the last days, return one, and have 5 on order there.
      await at(days(10));
      const sold: string[] = [];
      for (const qty of [3, 4]) {
        const res = await api.call('POST', '/api/orders', {
          token: owner,
          body: { clientOrderId: orderId(), storeId: demo02, lines: [{ skuId: wlj.id, qty }], tenders: [{ method: 'cash', amountFen: wlj.retailPriceFen * qty }], expectedTotalFen: wlj.retailPriceFen * qty },
        });
        expect(res.status).toBe(201);
        sold.push(res.body.order.id);
      }
      const line = (await api.call('GET', `/api/orders/${sold[0]}`, { token: owner })).body.order.lines[0];
      expect((await api.call('POST', '/api/returns', { token: owner, body: { clientReturnId: newId('return'), orderId: sold[0], reason: '退一罐', lines: [{ orderLineId: line.id, qty: 1 }] } })).status).toBe(201);
      expect((await createPo(owner, { id: newId('purchaseOrder'), supplierId, storeId: demo02, lines: [{ skuId: wlj.id, qty: 5, unitCostFen: 250 }] })).status).toBe(201);

      const res = reorderResponse.parse((await api.call('GET', `/api/purchasing/reorder?storeId=${demo02}&days=7&coverDays=90`, { token: owner })).body);
      const item = res.items.find((i) => i.skuId === wlj.id);
      const level = await db().selectFrom('stock_levels').select(['on_hand', 'reserved']).where('store_id', '=', demo02).where('sku_id', '=', wlj.id).executeTakeFirstOrThrow();
      const available = level.on_hand - level.reserved;
      // 6 net sold in 7 days; the supplier's lead time is 2 days; cover 90: ⌈6 × 92 / 7⌉ = ⌈78.86⌉ = 79. The seed stocks at most 64.
      expect(available).toBeLessThan(79 - 5);
      expect(item).toMatchObject({ soldQty: 6, days: 7, leadTimeDays: 2, supplierId, onOrder: 5, available, suggestedQty: 79 - available - 5 });
      // A short window that excludes the sales suggests nothing for it.
      await at(days(20));
      const later = reorderResponse.parse((await api.call('GET', `/api/purchasing/reorder?storeId=${demo02}&days=3&coverDays=30`, { token: owner })).body);
      expect(later.items.find((i) => i.skuId === wlj.id)).toBeUndefined();
      expect((await api.call('GET', `/api/purchasing/reorder?storeId=${demo02}`, { token: manager })).status).toBe(403);
      expect((await api.call('GET', `/api/purchasing/reorder?storeId=${demo01}`, { token: assistant })).status).toBe(403);
    });

    it('holds every invariant after the whole sequence', async () => {
      expect(await checkInvariants(api)).toEqual(invariantsHold);
      // Each payable's settled amount is the sum of its allocations, and never more than it is.
      const drift = await sql<{ n: number }>`
        select count(*)::int as n from supplier_payables p
        left join (select payable_id, sum(amount_fen) as s from payable_allocations group by payable_id) a on a.payable_id = p.id
        where p.settled_fen <> coalesce(a.s, 0) or p.settled_fen > p.amount_fen`.execute(db());
      expect(drift.rows[0]!.n).toBe(0);
      // Per supplier: open balance = receipts − returns − payments.
      const suppliers = await db().selectFrom('suppliers').select('id').execute();
      for (const s of suppliers) {
        const sum = async (q: string) => Number((await sql<{ v: number }>`select coalesce(sum(x), 0)::bigint as v from (${sql.raw(q)}) t`.execute(db())).rows[0]!.v);
        const receipts = await sum(`select value_fen as x from purchase_receipts where supplier_id = '${s.id}'`);
        const returns = await sum(`select value_fen as x from purchase_returns where supplier_id = '${s.id}'`);
        const payments = await sum(`select amount_fen as x from supplier_payments where supplier_id = '${s.id}'`);
        const balance = await sum(`select amount_fen - settled_fen as x from supplier_payables where supplier_id = '${s.id}'`);
        expect(balance).toBe(receipts - returns - payments);
      }
      // The payables account in the journal carries exactly what is owed to suppliers.
      const payablesAccount = await sql<{ v: number }>`select coalesce(sum(credit_fen - debit_fen), 0)::bigint as v from journal_lines where account = 'payables'`.execute(db());
      const owed = await sql<{ v: number }>`select coalesce(sum(amount_fen - settled_fen), 0)::bigint as v from supplier_payables`.execute(db());
      expect(Number(payablesAccount.rows[0]!.v)).toBe(Number(owed.rows[0]!.v));
      // The moving-average history replays to the current costs.
      const costs = await db().selectFrom('sku_store_costs').select(['store_id', 'sku_id', 'avg_cost_fen']).execute();
      for (const c of costs) {
        const last = await db().selectFrom('sku_cost_history').select('avg_after_fen').where('store_id', '=', c.store_id).where('sku_id', '=', c.sku_id).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
        expect(last.avg_after_fen).toBe(c.avg_cost_fen);
      }
      await expect(sql`update sku_cost_history set avg_after_fen = 0`.execute(db())).rejects.toThrow(/append-only/);
    });
  });
}
