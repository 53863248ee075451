import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../_db/schema.js';
import { AppError } from '../_kernel/errors.js';
import type { StaffPrincipal } from '../_kernel/context.js';
import { audit } from '../_audit/index.js';
import { addDays } from '../../shared/credit/aging.js';
import { newId } from '../../shared/ids.js';
import { formatFen } from '../../shared/money.js';
import { atCustomerPrice } from '../../shared/credit/price-list.js';
import type { SaleSku } from '../_catalog/index.js';

/**
 * The trade customer's price list applied to a sale's SKUs: a listed SKU
 * sells at the list price (for member price too, since trade sales carry no
 * member), any other at retail. Another merchant's or an inactive customer
 * is not found.
 */
export async function priceForCustomer(db: Kysely<DB>, merchantId: string, customerId: string, skus: Map<string, SaleSku>): Promise<Map<string, SaleSku>> {
  const customer = await db.selectFrom('trade_customers').select(['id', 'active']).where('id', '=', customerId).where('merchant_id', '=', merchantId).executeTakeFirst();
  if (!customer) throw new AppError('not_found', `找不到商贸客户 ${customerId}`);
  if (!customer.active) throw new AppError('validation_failed', '这位商贸客户已停用');
  const ids = [...skus.keys()];
  const prices = ids.length === 0 ? [] : await db.selectFrom('trade_customer_prices').select(['sku_id', 'price_fen']).where('customer_id', '=', customerId).where('sku_id', 'in', ids).execute();
  const listed = new Map(prices.map((p) => [p.sku_id, p.price_fen]));
  return new Map(
    [...skus].map(([id, sku]) => [id, atCustomerPrice(sku, listed.get(id))]),
  );
}

/** What a customer owes now: every invoice less every receipt and return credited to it. */
export async function outstandingFen(db: Kysely<DB> | Transaction<DB>, customerId: string): Promise<number> {
  const row = await db
    .selectFrom('receivables')
    .select(
      sql<number>`coalesce(sum(amount_fen), 0)::bigint - coalesce((select sum(s.amount_fen) from receivable_settlements s join receivables r2 on r2.id = s.receivable_id where r2.customer_id = ${customerId}), 0)::bigint`.as('fen'),
    )
    .where('customer_id', '=', customerId)
    .executeTakeFirstOrThrow();
  return Number(row.fen);
}

export interface CreditSaleInput {
  merchantId: string;
  storeId: string;
  customerId: string;
  orderId: string;
  amountFen: number;
  saleDate: string;
  approvalId: string | undefined;
  now: Date;
}

/**
 * Books a sale on account in the checkout's transaction: the customer's row
 * is locked (so two sales or a sale and a receipt for one customer run one
 * after the other), the credit limit checked, and the invoice written, due
 * after the customer's terms. Above the limit the sale needs a manager: one
 * billing it themselves, or an unused, unexpired approval for this customer
 * and store covering the amount, which the sale uses up. Either is audited.
 */
export async function openInvoiceForSale(trx: Transaction<DB>, staff: StaffPrincipal, s: CreditSaleInput): Promise<string> {
  const customer = await trx
    .selectFrom('trade_customers')
    .select(['id', 'name', 'credit_limit_fen', 'terms_days', 'active'])
    .where('id', '=', s.customerId)
    .where('merchant_id', '=', s.merchantId)
    .forUpdate()
    .executeTakeFirst();
  if (!customer) throw new AppError('not_found', `找不到商贸客户 ${s.customerId}`);
  if (!customer.active) throw new AppError('validation_failed', '这位商贸客户已停用');
  const owed = await outstandingFen(trx, s.customerId);
  let approvalId: string | null = null;
  if (owed + s.amountFen > customer.credit_limit_fen) {
    const detail = { orderId: s.orderId, customerId: s.customerId, owedFen: owed, saleFen: s.amountFen, limitFen: customer.credit_limit_fen };
    if (staff.role === 'owner' || staff.role === 'manager') {
      await audit(trx, { merchantId: s.merchantId, actorId: staff.staffId, action: 'credit.over_limit_billed', subjectId: s.customerId, detail });
    } else if (s.approvalId) {
      const used = await trx
        .updateTable('credit_approvals')
        .set({ used_order_id: s.orderId, used_at: s.now })
        .where('id', '=', s.approvalId)
        .where('merchant_id', '=', s.merchantId)
        .where('customer_id', '=', s.customerId)
        .where('store_id', '=', s.storeId)
        .where('used_order_id', 'is', null)
        .where('expires_at', '>', s.now)
        .where('max_fen', '>=', s.amountFen)
        .returning(['id', 'approved_by'])
        .executeTakeFirst();
      if (!used) throw new AppError('credit_limit_exceeded', `店长审批 ${s.approvalId} 无效：已使用、已过期、金额不足或不是这位客户和门店的，请店长重新审批`);
      approvalId = used.id;
      await audit(trx, { merchantId: s.merchantId, actorId: staff.staffId, action: 'credit.approval_used', subjectId: used.id, detail: { ...detail, approvedBy: used.approved_by } });
    } else {
      throw new AppError(
        'credit_limit_exceeded',
        `${customer.name} 已欠 ${formatFen(owed)}，加上本单 ${formatFen(s.amountFen)} 超过信用额度 ${formatFen(customer.credit_limit_fen)}，需要店长审批（店长开单，或提供店长审批号）`,
      );
    }
  }
  const id = newId('receivable');
  await trx
    .insertInto('receivables')
    .values({
      id,
      merchant_id: s.merchantId,
      store_id: s.storeId,
      customer_id: s.customerId,
      order_id: s.orderId,
      amount_fen: s.amountFen,
      issued_date: s.saleDate,
      due_date: addDays(s.saleDate, customer.terms_days),
      approval_id: approvalId,
    })
    .execute();
  return id;
}
