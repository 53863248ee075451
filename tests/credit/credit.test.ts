import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbTargets } from '../_support/db-targets';
import { startTestApi, type TestApi } from '../_support/api-harness';
import { seedOtherMerchant } from '../_support/other-merchant';
import { checkInvariants, findSku, invariantsHold, orderId } from '../_support/selling';
import { checkoutResponse } from '../../shared/api/orders';
import { receiptResponse, statementResponse, tradeCustomerResponse, tradeCustomersResponse, overdueResponse, invoicesResponse } from '../../shared/api/credit';
import { returnResponse } from '../../shared/api/returns';
import { newId } from '../../shared/ids';
import { m0007_credit_commission } from '../../api/_db/migrations/0007_credit_commission';
import { standardAccounts } from '../../api/_ledger/accounts';

/** Noon in Shanghai on a business day. */
const at = (day: string) => new Date(`${day}T04:00:00Z`);

for (const target of dbTargets()) {
  describe.skipIf(!target.available)(`trade customers, sales on account and collections on ${target.name}`, () => {
    let api: TestApi;
    let assistant: string;
    let manager: string;
    let owner: string;
    let other: string;
    let storeId: string;
    let store2: string;

    beforeAll(async () => {
      api = await startTestApi(target);
      await seedOtherMerchant(api.deps.db);
      [assistant, manager, owner, other] = await Promise.all([api.staffToken('o_demo_assistant_1'), api.staffToken('o_demo_manager'), api.staffToken('o_demo_owner'), api.staffToken('o_other_owner')]);
      storeId = api.seed.storeIds.DEMO01!;
      store2 = api.seed.storeIds.DEMO02!;
    });
    afterAll(async () => api?.stop());

    async function counts() {
      const one = async (t: 'orders' | 'receivables' | 'customer_receipts' | 'receivable_settlements' | 'journal_entries' | 'trade_customers') =>
        Number((await api.deps.db.selectFrom(t).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      return { orders: await one('orders'), receivables: await one('receivables'), receipts: await one('customer_receipts'), settlements: await one('receivable_settlements'), journal: await one('journal_entries'), customers: await one('trade_customers') };
    }

    /** The receivables account in the journal, debit minus credit: the books' view of what customers owe. */
    async function receivablesInBooks(): Promise<number> {
      const r = await sql<{ fen: number }>`select coalesce(sum(debit_fen - credit_fen), 0)::bigint as fen from journal_lines where account = 'receivables'`.execute(api.deps.db);
      return Number(r.rows[0]!.fen);
    }

    async function createCustomer(body: Record<string, unknown>) {
      const res = await api.call('POST', '/api/credit/customers', { token: owner, body });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return tradeCustomerResponse.parse(res.body).customer;
    }

    function sellOnAccount(token: string, customerId: string, skuId: string, qty: number, totalFen: number, extra: Record<string, unknown> = {}) {
      return api.call('POST', '/api/orders', {
        token,
        body: { clientOrderId: orderId(), storeId, tradeCustomerId: customerId, lines: [{ skuId, qty }], tenders: [{ method: 'account', amountFen: totalFen }], expectedTotalFen: totalFen, ...extra },
      });
    }

    const receive = (customerId: string, body: Record<string, unknown>, token = owner) =>
      api.call('POST', `/api/credit/customers/${customerId}/receipts`, { token, body: { clientReceiptId: newId('customerReceipt'), storeId, method: 'cash', ...body } });

    it('lets the owner and manager manage customers and price lists; assistants read only; other merchants see nothing; bad input writes nothing', async () => {
      const sku = await findSku(api, assistant, 'wlj');
      const c = await createCustomer({ name: '东方便利店', contact: '刘经理', phone: '13900000001', creditLimitFen: 100_000, termsDays: 30, prices: [{ skuId: sku.id, priceFen: sku.retailPriceFen - 100 }] });
      expect(c).toMatchObject({ name: '东方便利店', creditLimitFen: 100_000, termsDays: 30, balanceFen: 0, availableFen: 100_000, rating: 'new' });
      expect(c.prices).toEqual([{ skuId: sku.id, priceFen: sku.retailPriceFen - 100, name: sku.name, retailPriceFen: sku.retailPriceFen }]);
      const before = await counts();
      expect((await api.call('POST', '/api/credit/customers', { token: assistant, body: { name: 'x', creditLimitFen: 1, termsDays: 1 } })).status).toBe(403);
      for (const bad of [
        { name: '', creditLimitFen: 1, termsDays: 1 },
        { name: '负额度', creditLimitFen: -1, termsDays: 1 },
        { name: '超期', creditLimitFen: 1, termsDays: 366 },
        { name: '小数', creditLimitFen: 1.5, termsDays: 1 },
        { name: '未知商品', creditLimitFen: 1, termsDays: 1, prices: [{ skuId: newId('sku'), priceFen: 1 }] },
        { name: '重复商品', creditLimitFen: 1, termsDays: 1, prices: [{ skuId: sku.id, priceFen: 1 }, { skuId: sku.id, priceFen: 2 }] },
      ]) {
        const res = await api.call('POST', '/api/credit/customers', { token: owner, body: bad });
        expect(res.status, bad.name).toBe(400);
      }
      expect((await api.call('POST', '/api/credit/customers', { token: manager, body: { name: '东方便利店', creditLimitFen: 1, termsDays: 1 } })).status).toBe(409);
      expect(await counts()).toEqual(before);
      // Assistants can look customers up to bill them; other merchants cannot see them at all.
      expect((await api.call('GET', `/api/credit/customers/${c.id}`, { token: assistant })).status).toBe(200);
      expect((await api.call('GET', `/api/credit/customers/${c.id}`, { token: other })).status).toBe(404);
      expect(tradeCustomersResponse.parse((await api.call('GET', '/api/credit/customers', { token: other })).body).items).toEqual([]);
      expect((await api.call('PUT', `/api/credit/customers/${c.id}`, { token: other, body: { name: '改', creditLimitFen: 1, termsDays: 1 } })).status).toBe(404);
      expect((await api.call('GET', `/api/credit/customers/${c.id}/statement?from=2026-01-01&to=2026-01-31`, { token: assistant })).status).toBe(403);
      const updated = await api.call('PUT', `/api/credit/customers/${c.id}`, { token: manager, body: { name: '东方便利店', contact: '刘经理', creditLimitFen: 120_000, termsDays: 30, prices: [{ skuId: sku.id, priceFen: sku.retailPriceFen - 100 }] } });
      expect(updated.status).toBe(200);
      expect(updated.body.customer.creditLimitFen).toBe(120_000);
    });

    it('bills a sale on account at the price list, invoices it due after the terms, and books it to receivables', async () => {
      api.setNow(at('2026-03-02'));
      const listed = await findSku(api, assistant, 'wlj');
      const other = await findSku(api, assistant, 'ksfbhc');
      const c = await createCustomer({ name: '西城小卖部', creditLimitFen: 50_000, termsDays: 15, prices: [{ skuId: listed.id, priceFen: 250 }] });
      const expected = 250 * 4 + other.retailPriceFen * 2;
      // The counter previewed retail: refused, and nothing written.
      const stale = await api.call('POST', '/api/orders', {
        token: assistant,
        body: { clientOrderId: orderId(), storeId, tradeCustomerId: c.id, lines: [{ skuId: listed.id, qty: 4 }, { skuId: other.id, qty: 2 }], tenders: [{ method: 'account', amountFen: listed.retailPriceFen * 4 + other.retailPriceFen * 2 }], expectedTotalFen: listed.retailPriceFen * 4 + other.retailPriceFen * 2 },
      });
      expect(stale.status).toBe(409);
      const booksBefore = await receivablesInBooks();
      const res = await api.call('POST', '/api/orders', {
        token: assistant,
        body: { clientOrderId: orderId(), storeId, tradeCustomerId: c.id, lines: [{ skuId: listed.id, qty: 4 }, { skuId: other.id, qty: 2 }], tenders: [{ method: 'account', amountFen: expected }], expectedTotalFen: expected },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      const order = checkoutResponse.parse(res.body).order;
      expect(order.totalFen).toBe(expected);
      expect(order.tenders).toEqual([{ method: 'account', amountFen: expected, reference: null }]);
      const inv = invoicesResponse.parse((await api.call('GET', `/api/credit/customers/${c.id}/invoices`, { token: owner })).body).items;
      expect(inv).toEqual([{ id: expect.any(String), orderId: order.id, receiptNo: order.receiptNo, issuedDate: '2026-03-02', dueDate: '2026-03-17', amountFen: expected, paidFen: 0, returnedFen: 0, balanceFen: expected, daysOverdue: 0 }]);
      const entry = await api.deps.db.selectFrom('journal_entries').innerJoin('journal_lines', 'journal_lines.entry_id', 'journal_entries.id').select(['account', 'debit_fen', 'credit_fen']).where('event_key', '=', `sale:${order.id}`).execute();
      expect(entry.filter((l) => l.account === 'receivables')).toEqual([{ account: 'receivables', debit_fen: expected, credit_fen: 0 }]);
      expect(entry.some((l) => l.account === 'cash')).toBe(false);
      expect((await receivablesInBooks()) - booksBefore).toBe(expected);
      // Account tender needs a customer; a customer cannot also be a member; other merchants' customers are not found.
      expect((await api.call('POST', '/api/orders', { token: assistant, body: { clientOrderId: orderId(), storeId, lines: [{ skuId: listed.id, qty: 1 }], tenders: [{ method: 'account', amountFen: listed.retailPriceFen }], expectedTotalFen: listed.retailPriceFen } })).status).toBe(400);
      expect((await sellOnAccount(assistant, newId('tradeCustomer'), listed.id, 1, 250)).status).toBe(404);
      expect(await checkInvariants(api)).toEqual(invariantsHold);
    });

    it('refuses a sale over the credit limit with credit_limit_exceeded and writes nothing; a manager\'s approval, once, or the manager billing, lets it through, audited', async () => {
      api.setNow(at('2026-03-03'));
      const sku = await findSku(api, assistant, 'yqsl');
      const c = await createCustomer({ name: '南街超市', creditLimitFen: sku.retailPriceFen * 2, termsDays: 30 });
      // Exactly at the limit: allowed.
      expect((await sellOnAccount(assistant, c.id, sku.id, 2, sku.retailPriceFen * 2)).status).toBe(201);
      const before = await counts();
      const stockBefore = (await findSku(api, assistant, 'yqsl')).available;
      const over = await sellOnAccount(assistant, c.id, sku.id, 1, sku.retailPriceFen);
      expect(over.status).toBe(409);
      expect(over.body.error.code).toBe('credit_limit_exceeded');
      expect(over.body.error.message).toContain('店长审批');
      expect(await counts()).toEqual(before);
      expect((await findSku(api, assistant, 'yqsl')).available).toBe(stockBefore);

      // Assistants cannot approve; a manager approves for this customer, store and amount.
      expect((await api.call('POST', `/api/credit/customers/${c.id}/approvals`, { token: assistant, body: { storeId, maxFen: sku.retailPriceFen, note: '老客户' } })).status).toBe(403);
      expect((await api.call('POST', `/api/credit/customers/${c.id}/approvals`, { token: manager, body: { storeId: store2, maxFen: sku.retailPriceFen, note: '老客户' } })).status).toBe(403);
      const small = await api.call('POST', `/api/credit/customers/${c.id}/approvals`, { token: manager, body: { storeId, maxFen: sku.retailPriceFen - 1, note: '少批一分' } });
      expect(small.status).toBe(201);
      const tooSmall = await sellOnAccount(assistant, c.id, sku.id, 1, sku.retailPriceFen, { creditApprovalId: small.body.id });
      expect(tooSmall.body.error.code).toBe('credit_limit_exceeded');
      const approval = await api.call('POST', `/api/credit/customers/${c.id}/approvals`, { token: manager, body: { storeId, maxFen: sku.retailPriceFen, note: '老客户，月底结清' } });
      // Expired after 15 minutes.
      api.setNow(new Date(at('2026-03-03').getTime() + 16 * 60_000));
      expect((await sellOnAccount(assistant, c.id, sku.id, 1, sku.retailPriceFen, { creditApprovalId: approval.body.id })).body.error.code).toBe('credit_limit_exceeded');
      api.setNow(new Date(at('2026-03-03').getTime() + 5 * 60_000));
      const ok = await sellOnAccount(assistant, c.id, sku.id, 1, sku.retailPriceFen, { creditApprovalId: approval.body.id });
      expect(ok.status, JSON.stringify(ok.body)).toBe(201);
      const again = await sellOnAccount(assistant, c.id, sku.id, 1, sku.retailPriceFen, { creditApprovalId: approval.body.id });
      expect(again.body.error.code).toBe('credit_limit_exceeded');
      // A manager billing over the limit themselves goes through and is audited.
      expect((await sellOnAccount(manager, c.id, sku.id, 1, sku.retailPriceFen)).status).toBe(201);
      const trail = await api.deps.db.selectFrom('audit_log').select(['action', 'actor_id', 'detail']).where('action', 'in', ['credit.approval_created', 'credit.approval_used', 'credit.over_limit_billed']).orderBy('id').execute();
      expect(trail.map((t) => t.action)).toEqual(['credit.approval_created', 'credit.approval_created', 'credit.approval_used', 'credit.over_limit_billed']);
      expect(trail[2]!.actor_id).toBe(api.seed.staffIds.assistant1);
      expect((trail[2]!.detail as { approvedBy: string }).approvedBy).toBe(api.seed.staffIds.manager);
      const view = tradeCustomerResponse.parse((await api.call('GET', `/api/credit/customers/${c.id}`, { token: owner })).body).customer;
      expect(view.balanceFen).toBe(sku.retailPriceFen * 4);
      expect(view.availableFen).toBe(-sku.retailPriceFen * 2);
      expect(await checkInvariants(api)).toEqual(invariantsHold);
    });

    it('collects receipts oldest first or against named invoices, refuses more than is owed, and is idempotent by the client\'s id', async () => {
      api.setNow(at('2026-04-01'));
      const sku = await findSku(api, assistant, 'xb');
      const c = await createCustomer({ name: '北门批发', creditLimitFen: 10_000_000, termsDays: 10 });
      const amounts = [sku.retailPriceFen * 1, sku.retailPriceFen * 2, sku.retailPriceFen * 3];
      const orders = [];
      for (const [i, day] of ['2026-04-01', '2026-04-02', '2026-04-03'].entries()) {
        api.setNow(at(day));
        orders.push(checkoutResponse.parse((await sellOnAccount(assistant, c.id, sku.id, i + 1, amounts[i]!)).body).order);
      }
      api.setNow(at('2026-04-05'));
      const invoices = invoicesResponse.parse((await api.call('GET', `/api/credit/customers/${c.id}/invoices`, { token: owner })).body).items;
      const owed = amounts[0]! + amounts[1]! + amounts[2]!;

      const before = await counts();
      const tooMuch = await receive(c.id, { amountFen: owed + 1 });
      expect(tooMuch.status).toBe(409);
      expect(tooMuch.body.error.code).toBe('exceeds_balance');
      expect((await receive(c.id, { amountFen: 10, allocations: [{ invoiceId: invoices[0]!.id, amountFen: 5 }] })).status).toBe(400);
      expect((await receive(c.id, { amountFen: amounts[0]! + 1, allocations: [{ invoiceId: invoices[0]!.id, amountFen: amounts[0]! + 1 }] })).body.error.code).toBe('exceeds_balance');
      expect((await receive(c.id, { amountFen: 0 })).status).toBe(400);
      expect((await receive(c.id, { amountFen: 100 }, assistant)).status).toBe(403);
      expect((await receive(c.id, { amountFen: 100 }, other)).status).toBe(404);
      expect(await counts()).toEqual(before);

      // Oldest first: the first invoice in full and part of the second.
      const clientReceiptId = newId('customerReceipt');
      const booksBefore = await receivablesInBooks();
      const first = await receive(c.id, { clientReceiptId, amountFen: amounts[0]! + 1 });
      expect(first.status).toBe(201);
      expect(receiptResponse.parse(first.body).receipt.allocations).toEqual([
        { invoiceId: invoices[0]!.id, amountFen: amounts[0]! },
        { invoiceId: invoices[1]!.id, amountFen: 1 },
      ]);
      const replay = await receive(c.id, { clientReceiptId, amountFen: amounts[0]! + 1 });
      expect(replay.status).toBe(200);
      expect(replay.body.replayed).toBe(true);
      expect((await receive(c.id, { clientReceiptId, amountFen: amounts[0]! })).body.error.code).toBe('idempotency_mismatch');
      // Named: the third invoice, by bank transfer.
      const named = await receive(c.id, { method: 'bank', reference: 'TX-001', amountFen: 100, allocations: [{ invoiceId: invoices[2]!.id, amountFen: 100 }] });
      expect(named.status).toBe(201);
      expect((await receivablesInBooks()) - booksBefore).toBe(-(amounts[0]! + 1 + 100));
      const journal = await api.deps.db.selectFrom('journal_entries').innerJoin('journal_lines', 'journal_lines.entry_id', 'journal_entries.id').select(['account', 'debit_fen', 'credit_fen']).where('event_key', '=', `receipt:${named.body.receipt.id}`).orderBy('line_no').execute();
      expect(journal).toEqual([{ account: 'bank', debit_fen: 100, credit_fen: 0 }, { account: 'receivables', debit_fen: 0, credit_fen: 100 }]);
      const after = invoicesResponse.parse((await api.call('GET', `/api/credit/customers/${c.id}/invoices`, { token: owner })).body).items;
      expect(after.map((i) => i.balanceFen)).toEqual([0, amounts[1]! - 1, amounts[2]! - 100]);
      // Paying the rest exactly is allowed; then nothing more.
      expect((await receive(c.id, { amountFen: owed - amounts[0]! - 1 - 100 })).status).toBe(201);
      expect((await receive(c.id, { amountFen: 1 })).body.error.code).toBe('exceeds_balance');
      expect(await checkInvariants(api)).toEqual(invariantsHold);
    });

    it('credits the invoice when goods sold on account come back, refunding no cash; what was already paid beyond the new balance comes back in cash', async () => {
      api.setNow(at('2026-05-01'));
      const sku = await findSku(api, assistant, 'cmyltx');
      const c = await createCustomer({ name: '退货测试商行', creditLimitFen: 10_000_000, termsDays: 30 });
      const order = checkoutResponse.parse((await sellOnAccount(manager, c.id, sku.id, 3, sku.retailPriceFen * 3)).body).order;
      const line = order.lines[0]!;
      const cashBefore = Number((await sql<{ fen: number }>`select coalesce(sum(debit_fen - credit_fen), 0)::bigint as fen from journal_lines where account = 'cash'`.execute(api.deps.db)).rows[0]!.fen);
      const r1 = await api.call('POST', '/api/returns', { token: manager, body: { clientReturnId: newId('return'), orderId: order.id, reason: '包装破损', lines: [{ orderLineId: line.id, qty: 1 }] } });
      expect(r1.status, JSON.stringify(r1.body)).toBe(201);
      expect(returnResponse.parse(r1.body).return.refunds).toEqual([{ method: 'account', amountFen: sku.retailPriceFen }]);
      let inv = invoicesResponse.parse((await api.call('GET', `/api/credit/customers/${c.id}/invoices`, { token: owner })).body).items[0]!;
      expect(inv).toMatchObject({ amountFen: sku.retailPriceFen * 3, returnedFen: sku.retailPriceFen, balanceFen: sku.retailPriceFen * 2 });
      // The customer pays one and a half shirts, then returns another: only half a shirt is still owed to credit; the rest is cash back.
      const paid = Math.floor((sku.retailPriceFen * 3) / 2);
      expect((await receive(c.id, { amountFen: paid })).status).toBe(201);
      const r2 = await api.call('POST', '/api/returns', { token: manager, body: { clientReturnId: newId('return'), orderId: order.id, reason: '尺码不对', lines: [{ orderLineId: line.id, qty: 1 }] } });
      const owedBefore = sku.retailPriceFen * 2 - paid;
      expect(returnResponse.parse(r2.body).return.refunds).toEqual([{ method: 'account', amountFen: owedBefore }, { method: 'cash', amountFen: sku.retailPriceFen - owedBefore }]);
      inv = invoicesResponse.parse((await api.call('GET', `/api/credit/customers/${c.id}/invoices`, { token: owner })).body).items[0]!;
      expect(inv.balanceFen).toBe(0);
      const cashAfter = Number((await sql<{ fen: number }>`select coalesce(sum(debit_fen - credit_fen), 0)::bigint as fen from journal_lines where account = 'cash'`.execute(api.deps.db)).rows[0]!.fen);
      expect(cashAfter - cashBefore).toBe(paid - (sku.retailPriceFen - owedBefore));
      expect(await checkInvariants(api)).toEqual(invariantsHold);
    });

    it('splits a sale between cash and account: only the account part is invoiced and booked to receivables', async () => {
      api.setNow(at('2026-05-10'));
      const sku = await findSku(api, assistant, 'yqsl');
      const c = await createCustomer({ name: '分付客户', creditLimitFen: 10_000_000, termsDays: 7 });
      const total = sku.retailPriceFen * 2;
      const res = await api.call('POST', '/api/orders', {
        token: assistant,
        body: { clientOrderId: orderId(), storeId, tradeCustomerId: c.id, lines: [{ skuId: sku.id, qty: 2 }], tenders: [{ method: 'account', amountFen: total - 1000 }, { method: 'cash', amountFen: 1000 }], expectedTotalFen: total },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      const order = checkoutResponse.parse(res.body).order;
      const inv = invoicesResponse.parse((await api.call('GET', `/api/credit/customers/${c.id}/invoices`, { token: owner })).body).items;
      expect(inv.map((i) => [i.amountFen, i.dueDate])).toEqual([[total - 1000, '2026-05-17']]);
      const lines = await api.deps.db.selectFrom('journal_entries').innerJoin('journal_lines', 'journal_lines.entry_id', 'journal_entries.id').select(['account', 'debit_fen']).where('event_key', '=', `sale:${order.id}`).where('account', 'in', ['cash', 'receivables']).orderBy('account').execute();
      expect(lines).toEqual([{ account: 'cash', debit_fen: 1000 }, { account: 'receivables', debit_fen: total - 1000 }]);
    });

    it('lets only as many concurrent sales through as the credit limit allows', async () => {
      api.setNow(at('2026-05-11'));
      const sku = await findSku(api, assistant, 'xb');
      const c = await createCustomer({ name: '并发客户', creditLimitFen: sku.retailPriceFen * 2, termsDays: 7 });
      const results = await Promise.all(Array.from({ length: 6 }, () => sellOnAccount(assistant, c.id, sku.id, 1, sku.retailPriceFen)));
      expect(results.filter((r) => r.status === 201)).toHaveLength(2);
      expect(results.filter((r) => r.status === 409).every((r) => r.body.error.code === 'credit_limit_exceeded')).toBe(true);
      const view = tradeCustomerResponse.parse((await api.call('GET', `/api/credit/customers/${c.id}`, { token: owner })).body).customer;
      expect(view.balanceFen).toBe(sku.retailPriceFen * 2);
      expect(await checkInvariants(api)).toEqual(invariantsHold);
    });

    it('gives merchants that existed before the migration the two commission accounts', async () => {
      const merchantId = newId('merchant');
      await api.deps.db.insertInto('merchants').values({ id: merchantId, name: '老商户' }).execute();
      const statements = m0007_credit_commission.up.filter((s) => s.includes('insert into ledger_accounts'));
      expect(statements).toHaveLength(2);
      for (const s of statements) await sql.raw(s).execute(api.deps.db);
      const rows = await api.deps.db.selectFrom('ledger_accounts').select(['code', 'type', 'normal_side']).where('merchant_id', '=', merchantId).orderBy('code').execute();
      expect(rows).toEqual([{ code: 'commission_expense', type: 'expense', normal_side: 'debit' }, { code: 'commission_payable', type: 'liability', normal_side: 'credit' }]);
      expect(standardAccounts.map((a) => a.code)).toEqual(expect.arrayContaining(['commission_expense', 'commission_payable']));
    });

    it('states a period, ages what is owed, computes DSO and a rating, and lists overdue invoices; every figure matches the records read another way', async () => {
      const sku = await findSku(api, assistant, 'wlj');
      const c = await createCustomer({ name: '对账客户', creditLimitFen: 10_000_000, termsDays: 10, prices: [{ skuId: sku.id, priceFen: 1000 }] });
      // Hand-worked: invoices of 10.00 (Jun 1, due Jun 11), 20.00 (Jun 10, due Jun 20), 30.00 (Jun 20, due Jun 30), 40.00 (Jul 5, due Jul 15).
      for (const [day, qty] of [['2026-06-01', 1], ['2026-06-10', 2], ['2026-06-20', 3], ['2026-07-05', 4]] as const) {
        api.setNow(at(day));
        expect((await sellOnAccount(assistant, c.id, sku.id, qty, 1000 * qty)).status).toBe(201);
        // The first invoice is paid on Jun 10, a day before it is due.
        if (day === '2026-06-10') expect((await receive(c.id, { amountFen: 1000 })).status).toBe(201);
      }
      api.setNow(at('2026-06-25'));
      expect((await receive(c.id, { amountFen: 500 })).status).toBe(201); // half of the second, 5 days late
      api.setNow(at('2026-07-20'));
      const s = statementResponse.parse((await api.call('GET', `/api/credit/customers/${c.id}/statement?from=2026-06-15&to=2026-07-20`, { token: owner })).body);
      // Opening on Jun 15: 10 + 20 - 10 = 20.00. In the period: invoices 30 + 40, receipt 5. Closing 20 + 70 - 5 = 85.00.
      expect(s.openingFen).toBe(2000);
      expect(s.lines.map((l) => [l.date, l.kind, l.debitFen, l.creditFen, l.balanceFen])).toEqual([
        ['2026-06-20', 'invoice', 3000, 0, 5000],
        ['2026-06-25', 'receipt', 0, 500, 4500],
        ['2026-07-05', 'invoice', 4000, 0, 8500],
      ]);
      expect([s.invoicedFen, s.returnedFen, s.receivedFen, s.closingFen]).toEqual([7000, 0, 500, 8500]);
      // On Jul 20: 15.00 of the second invoice 30 days overdue, 30.00 of the third 20 days, 40.00 of the fourth 5 days.
      expect(s.aging).toEqual({ current: 0, d1_30: 8500, d31_60: 0, d61_90: 0, d90_plus: 0, totalFen: 8500 });
      // DSO: 85.00 ÷ 70.00 × 36 days = 43.7 → 44.
      expect(s.dsoDays).toBe(44);
      // Four invoices due; one on time; days late 0, 30, 20, 5 → average 13.75 → 14; 25% on time → D.
      expect(s.rating).toEqual({ rating: 'D', dueCount: 4, onTimeBp: 2500, avgDaysLate: 14, maxOpenDaysOverdue: 30 });

      // The same closing balance from SQL over the tables, and the statement's own opening for the next period.
      const sqlClosing = await sql<{ fen: number }>`
        select (select coalesce(sum(amount_fen), 0) from receivables where customer_id = ${c.id} and issued_date <= '2026-07-20')
             - (select coalesce(sum(s.amount_fen), 0) from receivable_settlements s join receivables r on r.id = s.receivable_id where r.customer_id = ${c.id} and s.business_date <= '2026-07-20') as fen`.execute(api.deps.db);
      expect(Number(sqlClosing.rows[0]!.fen)).toBe(s.closingFen);
      const next = statementResponse.parse((await api.call('GET', `/api/credit/customers/${c.id}/statement?from=2026-07-21&to=2026-07-31`, { token: owner })).body);
      expect(next.openingFen).toBe(s.closingFen);

      const overdue = overdueResponse.parse((await api.call('GET', '/api/credit/overdue', { token: owner })).body);
      const mine = overdue.items.filter((i) => i.customerId === c.id);
      expect(mine.map((i) => [i.daysOverdue, i.balanceFen])).toEqual([[30, 1500], [20, 3000], [5, 4000]]);
      // Across all customers, what the API says is owed equals the receivables account in the books.
      const all = tradeCustomersResponse.parse((await api.call('GET', '/api/credit/customers', { token: owner })).body).items;
      expect(all.reduce((sum, x) => sum + x.balanceFen, 0)).toBe(await receivablesInBooks());
      expect((await api.call('GET', `/api/credit/customers/${c.id}/statement?from=2026-07-20&to=2026-06-01`, { token: owner })).status).toBe(400);
      expect((await api.call('GET', `/api/credit/customers/${c.id}/statement?from=2025-01-01&to=2026-06-01`, { token: owner })).status).toBe(400);
      expect(await checkInvariants(api)).toEqual(invariantsHold);
    });
  });
}
