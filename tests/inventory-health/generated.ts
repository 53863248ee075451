import type { Kysely } from 'kysely';
import type { DB } from '../../api/_db/schema';
import { newId } from '../../shared/ids';
import { mulberry32 } from '../../shared/prng';
import { addDays } from '../../api/_reservations/reservations.service';
import { dayStart } from '../../api/_inventory-health/health.repository';

export interface GenSku {
  id: string;
  categoryId: string;
  costFen: number;
  active: boolean;
}
export interface GenMovement {
  skuId: string;
  day: string;
  at: Date;
  onHand: number;
  reserved: number;
}
export interface GenSale {
  skuId: string;
  day: string;
  qty: number;
  costFen: number;
  lineId: string;
  orderId: string;
}
export interface GenReturn {
  skuId: string;
  day: string;
  qty: number;
  costFen: number;
}
export interface Generated {
  storeId: string;
  skus: GenSku[];
  movements: GenMovement[];
  sales: GenSale[];
  returns: GenReturn[];
}

/**
 * A store with a history of `spanDays` business days ending `today`:
 * receipts, sales (orders, lines and their movements), returns, customer
 * holds and their releases, with times spread over each Shanghai day
 * including its first and last second. Written straight to the tables so the
 * health report reads records it did not make, and kept in memory so the
 * test can replay them independently.
 */
export async function generateStoreHistory(db: Kysely<DB>, merchantId: string, staffId: string, today: string, spanDays: number, seed: number): Promise<Generated> {
  const random = mulberry32(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const storeId = newId('store');
  await db.insertInto('stores').values({ id: storeId, merchant_id: merchantId, code: `HL${seed % 10000}`.padEnd(6, '0'), name: '健康度测试店' }).execute();
  const catalog = await db
    .selectFrom('skus')
    .innerJoin('products', 'products.id', 'skus.product_id')
    .select(['skus.id', 'skus.cost_fen', 'products.category_id', 'products.name', 'skus.spec'])
    .where('skus.merchant_id', '=', merchantId)
    .orderBy('skus.id')
    .limit(7)
    .execute();
  // The last SKU is inactive here (taken off sale), so its days out of stock do not count.
  const inactiveId = catalog[6]!.id;
  await db.updateTable('skus').set({ active: false }).where('id', '=', inactiveId).execute();
  const skus: GenSku[] = catalog.map((c) => ({ id: c.id, categoryId: c.category_id, costFen: c.cost_fen, active: c.id !== inactiveId }));
  const g: Generated = { storeId, skus, movements: [], sales: [], returns: [] };
  const orders: unknown[] = [];
  const pendingReturns: { skuId: string; day: string; qty: number; ref: string }[] = [];
  const lines: unknown[] = [];
  const returns: unknown[] = [];
  const returnLines: unknown[] = [];
  const moves: unknown[] = [];
  const level = new Map(skus.map((s) => [s.id, { onHand: 0, reserved: 0 }]));
  const holds: { skuId: string; qty: number; until: string; ref: string }[] = [];
  const move = (skuId: string, day: string, onHand: number, reserved: number, kind: string, ref: string, at?: Date) => {
    const when = at ?? new Date(dayStart(day).getTime() + int(0, 86_399) * 1000);
    g.movements.push({ skuId, day, at: when, onHand, reserved });
    const l = level.get(skuId)!;
    l.onHand += onHand;
    l.reserved += reserved;
    moves.push({ id: newId('movement'), merchant_id: merchantId, store_id: storeId, sku_id: skuId, kind, on_hand_delta: onHand, reserved_delta: reserved, ref_id: ref, idempotency_key: `gen:${ref}:${skuId}:${moves.length}`, created_at: when });
  };
  for (let i = spanDays - 1; i >= 0; i--) {
    const day = addDays(today, -i);
    for (const h of holds.filter((x) => x.until === day)) move(h.skuId, day, 0, -h.qty, 'release', h.ref);
    for (let k = holds.length - 1; k >= 0; k--) if (holds[k]!.until === day) holds.splice(k, 1);
    // The first SKU is stocked once at the start and never again: an active SKU that sells out and stays out.
    if (i === spanDays - 1) move(skus[0]!.id, day, 3, 0, 'receipt', `rcv-${day}`);
    for (const s of skus) {
      const l = level.get(s.id)!;
      // Seasonal demand: busier in the last quarter of the year.
      const busy = Number(day.slice(5, 7)) >= 10 ? 0.55 : 0.3;
      if (s !== skus[0] && l.onHand - l.reserved < 5 && random() < 0.25) {
        const edge = random();
        move(s.id, day, int(10, 40), 0, 'receipt', `rcv-${day}`, edge < 0.1 ? dayStart(day) : edge < 0.2 ? new Date(dayStart(addDays(day, 1)).getTime() - 1000) : undefined);
      }
      if (random() < busy && l.onHand - l.reserved > 0) {
        const qty = int(1, Math.min(4, l.onHand - l.reserved));
        const orderId = newId('order');
        const lineId = newId('order');
        orders.push({ id: orderId, merchant_id: merchantId, store_id: storeId, staff_id: staffId, channel: 'counter', status: 'paid', total_fen: 1000 * qty, business_date: day, paid_at: dayStart(day) });
        lines.push({ id: lineId, merchant_id: merchantId, order_id: orderId, line_index: 0, sku_id: s.id, product_name: 'gen', spec: '', category_id: s.categoryId, qty, unit_list_fen: 1000, list_fen: 1000 * qty, net_fen: 1000 * qty, cost_fen: s.costFen * qty, adjustments: '[]' });
        g.sales.push({ skuId: s.id, day, qty, costFen: s.costFen * qty, lineId, orderId });
        move(s.id, day, -qty, 0, 'sale', orderId);
        if (random() < 0.08) {
          const back = int(1, qty);
          const rday = addDays(day, int(0, 5)) > today ? today : addDays(day, int(0, 5));
          const returnId = newId('return');
          returns.push({ id: returnId, merchant_id: merchantId, store_id: storeId, order_id: orderId, client_return_id: returnId, request_hash: 'gen', status: 'completed', amount_fen: 1000 * back, reason: 'gen', requested_by: staffId, business_date: rday });
          returnLines.push({ return_id: returnId, order_line_id: lineId, qty: back, amount_fen: 1000 * back });
          g.returns.push({ skuId: s.id, day: rday, qty: back, costFen: s.costFen * back });
          // The goods come back to the shelf on the return's day.
          pendingReturns.push({ skuId: s.id, day: rday, qty: back, ref: returnId });
        }
      }
      if (random() < 0.06 && l.onHand - l.reserved > 1) {
        const ref = newId('reservation');
        const qty = int(1, Math.min(3, l.onHand - l.reserved));
        move(s.id, day, 0, qty, 'reserve', ref);
        holds.push({ skuId: s.id, qty, until: addDays(day, int(1, 4)), ref });
      }
    }
    for (let k = pendingReturns.length - 1; k >= 0; k--) {
      const r = pendingReturns[k]!;
      if (r.day === day) {
        move(r.skuId, day, r.qty, 0, 'return', r.ref);
        pendingReturns.splice(k, 1);
      }
    }
  }
  for (let i = 0; i < orders.length; i += 1000) await db.insertInto('orders').values(orders.slice(i, i + 1000) as never).execute();
  for (let i = 0; i < lines.length; i += 1000) await db.insertInto('order_lines').values(lines.slice(i, i + 1000) as never).execute();
  for (let i = 0; i < returns.length; i += 1000) await db.insertInto('returns').values(returns.slice(i, i + 1000) as never).execute();
  for (let i = 0; i < returnLines.length; i += 1000) await db.insertInto('return_lines').values(returnLines.slice(i, i + 1000) as never).execute();
  for (let i = 0; i < moves.length; i += 1000) await db.insertInto('stock_movements').values(moves.slice(i, i + 1000) as never).execute();
  await db
    .insertInto('stock_levels')
    .values(skus.map((s) => ({ merchant_id: merchantId, store_id: storeId, sku_id: s.id, on_hand: level.get(s.id)!.onHand, reserved: level.get(s.id)!.reserved })))
    .execute();
  return g;
}
