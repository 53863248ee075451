import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { DB } from '../_db/schema.js';
import { specLabel } from '../../shared/spec-label.js';
import { reorder_lead_time_days_default, purchasing_list_max, type ReorderResponse } from '../../shared/api/purchasing.js';
import { addDays } from './aging.js';
import { suggestedReorderQty } from './reorder-formula.js';

/**
 * Reorder suggestions for one store: for every SKU sold in the last `days`
 * business days (today included) or on order, the formula of
 * `suggestedReorderQty` over its net sales, the lead time of the supplier it
 * was last ordered from (or reorder_lead_time_days_default), its available
 * stock and what open purchase orders still bring. Only SKUs with something
 * to order are listed, most needed first.
 */
export async function reorderSuggestions(db: Kysely<DB>, merchantId: string, storeId: string, today: string, days: number, coverDays: number): Promise<ReorderResponse> {
  const since = addDays(today, -(days - 1));
  const rows = await sql<{
    sku_id: string;
    name: string;
    spec: Record<string, string>;
    sold: number;
    on_hand: number | null;
    reserved: number | null;
    on_order: number;
    supplier_id: string | null;
    supplier_name: string | null;
    lead_time_days: number | null;
  }>`
    with sold as (
      select l.sku_id, sum(l.qty - l.returned_qty)::int as sold
      from order_lines l join orders o on o.id = l.order_id
      where o.merchant_id = ${merchantId} and o.store_id = ${storeId}
        and o.status in ('paid', 'partially_refunded', 'refunded')
        and o.business_date between ${since} and ${today}
      group by l.sku_id
    ),
    on_order as (
      select l.sku_id, sum(l.qty - l.received_qty)::int as on_order
      from purchase_order_lines l join purchase_orders po on po.id = l.po_id
      where po.merchant_id = ${merchantId} and po.store_id = ${storeId} and po.status in ('ordered', 'partially_received')
      group by l.sku_id
    ),
    skus_in as (select sku_id from sold union select sku_id from on_order),
    last_supplier as (
      select distinct on (l.sku_id) l.sku_id, po.supplier_id
      from purchase_order_lines l join purchase_orders po on po.id = l.po_id
      where po.merchant_id = ${merchantId} and po.status <> 'cancelled'
      order by l.sku_id, po.id desc
    )
    select k.sku_id, p.name, s.spec, coalesce(sold.sold, 0)::int as sold,
      lv.on_hand, lv.reserved, coalesce(oo.on_order, 0)::int as on_order,
      sup.id as supplier_id, sup.name as supplier_name, sup.lead_time_days
    from skus_in k
    join skus s on s.id = k.sku_id and s.merchant_id = ${merchantId}
    join products p on p.id = s.product_id
    left join sold on sold.sku_id = k.sku_id
    left join on_order oo on oo.sku_id = k.sku_id
    left join stock_levels lv on lv.store_id = ${storeId} and lv.sku_id = k.sku_id
    left join last_supplier ls on ls.sku_id = k.sku_id
    left join suppliers sup on sup.id = ls.supplier_id`.execute(db);
  const items = rows.rows
    .map((r) => {
      const leadTimeDays = r.lead_time_days ?? reorder_lead_time_days_default;
      const available = (r.on_hand ?? 0) - (r.reserved ?? 0);
      return {
        skuId: r.sku_id,
        name: r.name,
        spec: specLabel(r.spec),
        soldQty: r.sold,
        days,
        leadTimeDays,
        supplierId: r.supplier_id,
        supplierName: r.supplier_name,
        available,
        onOrder: r.on_order,
        suggestedQty: suggestedReorderQty({ soldQty: r.sold, days, leadTimeDays, coverDays, available, onOrder: r.on_order }),
      };
    })
    .filter((i) => i.suggestedQty > 0)
    .sort((a, b) => b.suggestedQty - a.suggestedQty || (a.skuId < b.skuId ? -1 : 1))
    .slice(0, purchasing_list_max);
  return { storeId, days, coverDays, items };
}
