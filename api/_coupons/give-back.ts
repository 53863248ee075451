import type { Transaction } from 'kysely';
import type { DB } from '../_db/schema.js';
import { mulDivFloor } from '../../shared/pricing/rounding.js';
import { inRuleScope } from '../../shared/pricing/scope.js';
import type { Adjustment } from '../../shared/pricing/types.js';
import { newId } from '../../shared/ids.js';

/** Adjustment kinds the engine applies before coupons: what the goods cost when a coupon's threshold was checked. */
const before_coupons: ReadonlySet<string> = new Set(['member_price', 'bundle', 'discount', 'line_discount', 'member_level', 'threshold']);

interface KeptLine {
  skuId: string;
  categoryId: string;
  /** The parent of the line's category as it was at the sale (order_lines.parent_category_id). */
  parentCategoryId: string | null;
  qty: number;
  returnedQty: number;
  listFen: number;
  adjustments: Adjustment[];
}

/**
 * What the goods still kept count toward a coupon's threshold: each line in
 * the coupon's scope at what it cost when the threshold was checked (before
 * the coupon and everything after it), for the units not returned. The
 * scope is matched as the engine matched it at the sale (inRuleScope, with
 * the category tree as the line recorded it), so a coupon on 服装 counts
 * what is kept of 服装 › 上衣.
 */
export function keptSpendFen(lines: readonly KeptLine[], scope: { skuIds: readonly string[]; categoryIds: readonly string[] }): number {
  const all = scope.skuIds.length + scope.categoryIds.length === 0;
  return lines
    .filter((l) => all || inRuleScope(scope, l))
    .reduce((sum, l) => {
      const net = l.listFen - l.adjustments.filter((a) => before_coupons.has(a.source.kind)).reduce((s, a) => s + a.fen, 0);
      return sum + mulDivFloor(net, l.qty - l.returnedQty, l.qty);
    }, 0);
}

/**
 * After a return of an order is recorded (its lines' returned quantities
 * already raised), in the return's transaction: each coupon the order used
 * comes back to its member when its template says so — on a full return
 * ('full_return' and 'below_threshold'), or when what is kept no longer
 * reaches the threshold ('below_threshold'). It comes back by compare-and-set
 * on the order that used it, so a later partial return of the same order
 * finds it no longer used there, and the event's unique index allows one
 * give-back per coupon and order whatever happens. Its dates stay as issued.
 */
export async function giveBackCoupons(trx: Transaction<DB>, input: { merchantId: string; orderId: string; returnId: string; at: Date }): Promise<string[]> {
  const used = await trx
    .selectFrom('coupons')
    .innerJoin('coupon_templates as t', 't.id', 'coupons.template_id')
    .select(['coupons.id', 't.return_policy', 't.min_spend_fen', 't.sku_ids', 't.category_ids'])
    .where('coupons.merchant_id', '=', input.merchantId)
    .where('coupons.used_order_id', '=', input.orderId)
    .where('coupons.status', '=', 'used')
    .execute();
  const candidates = used.filter((c) => c.return_policy !== 'never');
  if (candidates.length === 0) return [];
  const rows = await trx.selectFrom('order_lines').select(['sku_id', 'category_id', 'parent_category_id', 'qty', 'returned_qty', 'list_fen', 'adjustments']).where('order_id', '=', input.orderId).where('merchant_id', '=', input.merchantId).execute();
  const lines: KeptLine[] = rows.map((r) => ({ skuId: r.sku_id, categoryId: r.category_id, parentCategoryId: r.parent_category_id, qty: r.qty, returnedQty: r.returned_qty, listFen: r.list_fen, adjustments: (typeof r.adjustments === 'string' ? JSON.parse(r.adjustments) : r.adjustments) as Adjustment[] }));
  const fullReturn = lines.every((l) => l.returnedQty >= l.qty);
  const back: string[] = [];
  for (const c of candidates) {
    const below = c.min_spend_fen > 0 && keptSpendFen(lines, { skuIds: c.sku_ids, categoryIds: c.category_ids }) < c.min_spend_fen;
    if (!(fullReturn || (c.return_policy === 'below_threshold' && below))) continue;
    const freed = await trx
      .updateTable('coupons')
      .set({ status: 'available', used_order_id: null, used_at: null })
      .where('id', '=', c.id)
      .where('used_order_id', '=', input.orderId)
      .where('status', '=', 'used')
      .returning('id')
      .executeTakeFirst();
    if (!freed) continue;
    await trx.insertInto('coupon_events').values({ id: newId('couponEvent', input.at.getTime()), merchant_id: input.merchantId, coupon_id: c.id, kind: 'given_back', order_id: input.orderId, return_id: input.returnId }).execute();
    back.push(c.id);
  }
  return back;
}
