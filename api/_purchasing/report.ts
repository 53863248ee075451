import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { DB } from '../_db/schema.js';
import type { PurchasesReportResponse } from '../../shared/api/purchasing.js';
import { assertPeriod } from './statement.js';

/**
 * Goods received and sent back in [from, to], by supplier, SKU or store, at
 * purchase price: the receipt and return lines themselves, summed. The
 * caller passes the stores the staff member may see.
 */
export async function purchasesReport(db: Kysely<DB>, merchantId: string, storeIds: readonly string[], from: string, to: string, groupBy: 'supplier' | 'sku' | 'store'): Promise<PurchasesReportResponse> {
  assertPeriod(from, to);
  const empty = { receivedQty: 0, receivedFen: 0, returnedQty: 0, returnedFen: 0, netFen: 0 };
  if (storeIds.length === 0) return { from, to, groupBy, items: [], totals: empty };
  const stores = sql.join(storeIds.map((id) => sql`${id}`));
  const key = groupBy === 'supplier' ? sql.ref('h.supplier_id') : groupBy === 'store' ? sql.ref('h.store_id') : sql.ref('l.sku_id');
  const rows = await sql<{ key: string; received_qty: number; received_fen: number; returned_qty: number; returned_fen: number }>`
    select key, sum(received_qty)::int as received_qty, sum(received_fen)::bigint as received_fen,
      sum(returned_qty)::int as returned_qty, sum(returned_fen)::bigint as returned_fen
    from (
      select ${key} as key, l.qty as received_qty, l.value_fen as received_fen, 0 as returned_qty, 0 as returned_fen
      from purchase_receipt_lines l join purchase_receipts h on h.id = l.receipt_id
      where h.merchant_id = ${merchantId} and h.store_id in (${stores}) and h.business_date between ${from} and ${to}
      union all
      select ${key}, 0, 0, l.qty, l.value_fen
      from purchase_return_lines l join purchase_returns h on h.id = l.return_id
      where h.merchant_id = ${merchantId} and h.store_id in (${stores}) and h.business_date between ${from} and ${to}
    ) x group by key`.execute(db);
  const keys = rows.rows.map((r) => r.key);
  const names = new Map<string, string>();
  if (keys.length > 0) {
    if (groupBy === 'supplier') for (const s of await db.selectFrom('suppliers').select(['id', 'name']).where('id', 'in', keys).execute()) names.set(s.id, s.name);
    if (groupBy === 'store') for (const s of await db.selectFrom('stores').select(['id', 'name']).where('id', 'in', keys).execute()) names.set(s.id, s.name);
    if (groupBy === 'sku') {
      const skus = await db.selectFrom('skus').innerJoin('products', 'products.id', 'skus.product_id').select(['skus.id', 'products.name', 'skus.spec']).where('skus.id', 'in', keys).execute();
      for (const s of skus) names.set(s.id, [s.name, ...Object.values(s.spec)].join(' '));
    }
  }
  const items = rows.rows
    .map((r) => {
      const received = Number(r.received_fen);
      const returned = Number(r.returned_fen);
      return { key: r.key, name: names.get(r.key) ?? r.key, receivedQty: r.received_qty, receivedFen: received, returnedQty: r.returned_qty, returnedFen: returned, netFen: received - returned };
    })
    .sort((a, b) => b.netFen - a.netFen || (a.key < b.key ? -1 : 1));
  const totals = items.reduce(
    (t, i) => ({ receivedQty: t.receivedQty + i.receivedQty, receivedFen: t.receivedFen + i.receivedFen, returnedQty: t.returnedQty + i.returnedQty, returnedFen: t.returnedFen + i.returnedFen, netFen: t.netFen + i.netFen }),
    empty,
  );
  return { from, to, groupBy, items, totals };
}
