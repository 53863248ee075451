import { sql, type Kysely } from 'kysely';
import type { DB } from '../_db/schema.js';
import { businessDate } from '../_kernel/clock.js';
import { dayOf } from './batches.js';
import { skuInfo } from './stock-ops.common.js';
import { batch_near_expiry_days_default, stock_no_sale_days_default, type AlertKind, type StockAlerts } from '../../shared/api/stock-ops.js';

const day_ms = 86_400_000;

export async function alertSettings(db: Kysely<DB>, merchantId: string) {
  const row = await db.selectFrom('stock_alert_settings').select(['no_sale_days', 'near_expiry_days']).where('merchant_id', '=', merchantId).executeTakeFirst();
  return { noSaleDays: row?.no_sale_days ?? stock_no_sale_days_default, nearExpiryDays: row?.near_expiry_days ?? batch_near_expiry_days_default };
}

export async function setAlertSettings(db: Kysely<DB>, merchantId: string, s: { noSaleDays: number; nearExpiryDays: number }) {
  await db
    .insertInto('stock_alert_settings')
    .values({ merchant_id: merchantId, no_sale_days: s.noSaleDays, near_expiry_days: s.nearExpiryDays })
    .onConflict((oc) => oc.column('merchant_id').doUpdateSet({ no_sale_days: s.noSaleDays, near_expiry_days: s.nearExpiryDays, updated_at: new Date() }))
    .execute();
}

function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * day_ms).toISOString().slice(0, 10);
}

/**
 * A store's stock alerts, one item per SKU with every reason it is flagged:
 * below its minimum, above its maximum, in stock with no sale for the
 * merchant's number of days (stock that arrived within that window is not
 * yet judged), or holding a batch that expires within the near-expiry window
 * (expired batches included).
 */
export async function storeAlerts(db: Kysely<DB>, merchantId: string, storeId: string, now: Date): Promise<StockAlerts> {
  const settings = await alertSettings(db, merchantId);
  const since = new Date(now.getTime() - settings.noSaleDays * day_ms);
  const today = businessDate(now);
  const horizon = addDays(today, settings.nearExpiryDays);
  const [limits, idle, batches, levels] = await Promise.all([
    db
      .selectFrom('stock_limits as m')
      .leftJoin('stock_levels as l', (j) => j.onRef('l.sku_id', '=', 'm.sku_id').onRef('l.store_id', '=', 'm.store_id'))
      .select(['m.sku_id', 'm.min_qty', 'm.max_qty', 'l.on_hand'])
      .where('m.store_id', '=', storeId)
      .where('m.merchant_id', '=', merchantId)
      .execute(),
    sql<{ sku_id: string; last_sale: Date | null }>`
      select l.sku_id,
        (select max(m.created_at) from stock_movements m where m.store_id = l.store_id and m.sku_id = l.sku_id and m.kind = 'sale') as last_sale
      from stock_levels l
      where l.store_id = ${storeId} and l.merchant_id = ${merchantId} and l.on_hand > 0
        and not exists (select 1 from stock_movements m where m.store_id = l.store_id and m.sku_id = l.sku_id and m.kind = 'sale' and m.created_at >= ${since})
        and (select min(m.created_at) from stock_movements m where m.store_id = l.store_id and m.sku_id = l.sku_id) < ${since}`.execute(db),
    db
      .selectFrom('stock_batches')
      .select(['sku_id', 'batch_no', 'expires_on', 'qty'])
      .where('store_id', '=', storeId)
      .where('merchant_id', '=', merchantId)
      .where('qty', '>', 0)
      .where('expires_on', '<=', horizon)
      .orderBy('expires_on')
      .execute(),
    db.selectFrom('stock_levels').select(['sku_id', 'on_hand']).where('store_id', '=', storeId).execute(),
  ]);
  const onHand = new Map(levels.map((l) => [l.sku_id, l.on_hand]));
  const reasons = new Map<string, { kind: AlertKind; text: string }[]>();
  const add = (skuId: string, kind: AlertKind, text: string) => reasons.set(skuId, [...(reasons.get(skuId) ?? []), { kind, text }]);
  for (const m of limits) {
    const qty = m.on_hand ?? 0;
    if (m.min_qty !== null && qty < m.min_qty) add(m.sku_id, 'below_min', `库存 ${qty}，低于下限 ${m.min_qty}`);
    if (m.max_qty !== null && qty > m.max_qty) add(m.sku_id, 'above_max', `库存 ${qty}，高于上限 ${m.max_qty}`);
  }
  for (const r of idle.rows) {
    const last = r.last_sale ? new Date(r.last_sale) : null;
    add(r.sku_id, 'no_sale', last ? `已 ${Math.floor((now.getTime() - last.getTime()) / day_ms)} 天未售出` : `超过 ${settings.noSaleDays} 天没有销售`);
  }
  for (const b of batches) {
    const expires = dayOf(b.expires_on);
    add(b.sku_id, 'near_expiry', expires < today ? `批次 ${b.batch_no} 已于 ${expires} 过期（${b.qty} 件）` : `批次 ${b.batch_no} 将于 ${expires} 到期（${b.qty} 件）`);
  }
  const skus = await skuInfo(db, merchantId, [...reasons.keys()]);
  const counts: Record<AlertKind, number> = { below_min: 0, above_max: 0, no_sale: 0, near_expiry: 0 };
  const items = [...reasons.entries()].map(([skuId, rs]) => {
    for (const kind of new Set(rs.map((r) => r.kind))) counts[kind]++;
    const sku = skus.get(skuId);
    return { skuId, name: sku?.name ?? skuId, spec: sku?.spec ?? '', barcode: sku?.barcode ?? '', onHand: onHand.get(skuId) ?? 0, reasons: rs };
  });
  items.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.barcode < b.barcode ? -1 : 1));
  return { storeId, settings, counts, items };
}
