import type { Kysely } from 'kysely';
import type { DB } from '../_db/schema.js';
import { AppError } from '../_kernel/errors.js';
import type { StaffPrincipal } from '../_kernel/context.js';
import { audit } from '../_audit/index.js';
import { aging, creditRating } from '../../shared/credit/aging.js';
import type { TradeCustomerRequest, TradeCustomerView } from '../../shared/api/credit.js';
import { newId } from '../../shared/ids.js';
import { invoiceAsOf, invoiceRecords, type InvoiceRecord } from './book.js';

/** A shop's trade customers stay well below this; the list is not paged. */
export const trade_customers_max = 1000;

function isUniqueViolation(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === '23505';
}

async function checkPriceSkus(db: Kysely<DB>, merchantId: string, prices: TradeCustomerRequest['prices']): Promise<void> {
  if (!prices || prices.length === 0) return;
  const ids = prices.map((p) => p.skuId);
  if (new Set(ids).size !== ids.length) throw new AppError('validation_failed', '价格表中同一商品出现了两次');
  const found = await db.selectFrom('skus').select('id').where('merchant_id', '=', merchantId).where('id', 'in', ids).execute();
  const known = new Set(found.map((f) => f.id));
  const missing = ids.filter((id) => !known.has(id));
  if (missing.length > 0) throw new AppError('validation_failed', `价格表中的商品不存在：${missing.join(', ')}`, missing.map((m) => ({ path: 'prices', message: m })));
}

/** Creates a customer, or replaces one's details and whole price list; audited either way. */
export async function saveTradeCustomer(db: Kysely<DB>, staff: StaffPrincipal, input: TradeCustomerRequest, customerId?: string): Promise<string> {
  await checkPriceSkus(db, staff.merchantId, input.prices);
  const id = customerId ?? newId('tradeCustomer');
  try {
    await db.transaction().execute(async (trx) => {
      const values = {
        name: input.name,
        contact: input.contact ?? '',
        phone: input.phone ?? '',
        credit_limit_fen: input.creditLimitFen,
        terms_days: input.termsDays,
        active: input.active ?? true,
      };
      if (customerId) {
        const before = await trx.selectFrom('trade_customers').selectAll().where('id', '=', customerId).where('merchant_id', '=', staff.merchantId).forUpdate().executeTakeFirst();
        if (!before) throw new AppError('not_found', `找不到商贸客户 ${customerId}`);
        await trx.updateTable('trade_customers').set(values).where('id', '=', customerId).execute();
        await trx.deleteFrom('trade_customer_prices').where('customer_id', '=', customerId).execute();
        await audit(trx, { merchantId: staff.merchantId, actorId: staff.staffId, action: 'credit.customer_updated', subjectId: id, detail: { before: { limitFen: before.credit_limit_fen, termsDays: before.terms_days, active: before.active }, after: { ...values, prices: input.prices ?? [] } } });
      } else {
        await trx.insertInto('trade_customers').values({ id, merchant_id: staff.merchantId, ...values }).execute();
        await audit(trx, { merchantId: staff.merchantId, actorId: staff.staffId, action: 'credit.customer_created', subjectId: id, detail: { ...values, prices: input.prices ?? [] } });
      }
      if (input.prices && input.prices.length > 0) {
        await trx.insertInto('trade_customer_prices').values(input.prices.map((p) => ({ merchant_id: staff.merchantId, customer_id: id, sku_id: p.skuId, price_fen: p.priceFen }))).execute();
      }
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError('conflict', `已有同名商贸客户：${input.name}`);
    throw e;
  }
  return id;
}

type CustomerRow = { id: string; name: string; contact: string; phone: string; credit_limit_fen: number; terms_days: number; active: boolean };

function summarize(c: CustomerRow, invoices: InvoiceRecord[], asOf: string): Omit<TradeCustomerView, 'prices'> {
  const figures = invoices.map((i) => ({ inv: i, f: invoiceAsOf(i, asOf) }));
  const owed = aging(figures.map(({ inv, f }) => ({ dueDate: inv.dueDate, balanceFen: f.balanceFen })), asOf);
  const rating = creditRating(figures.map(({ inv, f }) => ({ dueDate: inv.dueDate, settledDate: f.settledDate })), asOf);
  return {
    id: c.id,
    name: c.name,
    contact: c.contact,
    phone: c.phone,
    creditLimitFen: c.credit_limit_fen,
    termsDays: c.terms_days,
    active: c.active,
    balanceFen: owed.totalFen,
    availableFen: c.credit_limit_fen - owed.totalFen,
    aging: owed,
    rating: rating.rating,
  };
}

export async function listTradeCustomers(db: Kysely<DB>, merchantId: string, asOf: string) {
  const customers = await db
    .selectFrom('trade_customers')
    .select(['id', 'name', 'contact', 'phone', 'credit_limit_fen', 'terms_days', 'active'])
    .where('merchant_id', '=', merchantId)
    .orderBy('name')
    .limit(trade_customers_max)
    .execute();
  const invoices = await invoiceRecords(db, merchantId);
  const byCustomer = new Map<string, InvoiceRecord[]>();
  for (const i of invoices) byCustomer.set(i.customerId, [...(byCustomer.get(i.customerId) ?? []), i]);
  return customers.map((c) => summarize(c, byCustomer.get(c.id) ?? [], asOf));
}

export async function tradeCustomerView(db: Kysely<DB>, merchantId: string, customerId: string, asOf: string): Promise<TradeCustomerView> {
  const c = await db
    .selectFrom('trade_customers')
    .select(['id', 'name', 'contact', 'phone', 'credit_limit_fen', 'terms_days', 'active'])
    .where('id', '=', customerId)
    .where('merchant_id', '=', merchantId)
    .executeTakeFirst();
  if (!c) throw new AppError('not_found', `找不到商贸客户 ${customerId}`);
  const [invoices, prices] = await Promise.all([
    invoiceRecords(db, merchantId, [customerId]),
    db
      .selectFrom('trade_customer_prices as p')
      .innerJoin('skus', 'skus.id', 'p.sku_id')
      .innerJoin('products', 'products.id', 'skus.product_id')
      .select(['p.sku_id', 'p.price_fen', 'products.name', 'skus.retail_price_fen'])
      .where('p.customer_id', '=', customerId)
      .orderBy('products.name')
      .execute(),
  ]);
  return { ...summarize(c, invoices, asOf), prices: prices.map((p) => ({ skuId: p.sku_id, priceFen: p.price_fen, name: p.name, retailPriceFen: p.retail_price_fen })) };
}
