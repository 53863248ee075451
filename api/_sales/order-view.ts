import type { Kysely, Selectable, Transaction } from 'kysely';
import type { DB } from '../_db/schema.js';
import { AppError } from '../_kernel/errors.js';
import type { OrderView } from '../../shared/api/orders.js';
import type { Adjustment, OrderAdjustment } from '../../shared/pricing/types.js';
import { adjustmentLabel } from './labels.js';

interface StoredPricing {
  adjustments: OrderAdjustment[];
  ruleNames: Record<string, string>;
  offlineReceiptNo: string | null;
}

/** An order as the counter, the receipt and the owner see it, from its stored rows only. */
export async function orderViewById(db: Kysely<DB> | Transaction<DB>, merchantId: string, orderId: string): Promise<OrderView> {
  const [o, lines, tenders] = await Promise.all([
    db.selectFrom('orders').selectAll().where('id', '=', orderId).where('merchant_id', '=', merchantId).executeTakeFirst(),
    db.selectFrom('order_lines').selectAll().where('order_id', '=', orderId).where('merchant_id', '=', merchantId).orderBy('line_index').execute(),
    db.selectFrom('order_tenders').select(['method', 'amount_fen', 'reference']).where('order_id', '=', orderId).where('merchant_id', '=', merchantId).orderBy('line_no').execute(),
  ]);
  if (!o) throw new AppError('not_found', `找不到订单 ${orderId}`);
  return toOrderView(o, lines, tenders);
}

type OrderRow = Selectable<DB['orders']>;
type LineRow = Selectable<DB['order_lines']>;
type TenderRow = Pick<Selectable<DB['order_tenders']>, 'method' | 'amount_fen' | 'reference'>;

/** The one mapping from stored rows to the view, used on reads and right after a checkout writes them. */
export function toOrderView(o: OrderRow, lines: LineRow[], tenders: TenderRow[]): OrderView {
  const pricing = (o.pricing ?? { adjustments: [], ruleNames: {}, offlineReceiptNo: null }) as StoredPricing;
  const names = new Map(Object.entries(pricing.ruleNames));
  const view = (a: Adjustment) => ({ kind: a.source.kind, label: adjustmentLabel(a.source, names), fen: a.fen });
  return {
    id: o.id,
    clientOrderId: o.client_order_id ?? o.id,
    receiptNo: o.receipt_no ?? '',
    storeId: o.store_id,
    status: o.status,
    businessDate: o.business_date,
    memberId: o.member_id,
    staffId: o.staff_id,
    subtotalListFen: o.subtotal_list_fen,
    discountFen: o.discount_fen,
    pointsRedeemed: o.points_redeemed,
    pointsFen: o.points_fen,
    roundingFen: o.rounding_fen,
    totalFen: o.total_fen,
    storedValueFen: Number(o.stored_value_fen ?? 0),
    refundedFen: o.refunded_fen,
    pointsEarned: o.points_earned,
    cashReceivedFen: o.cash_received_fen,
    changeFen: o.change_fen,
    offline: o.offline,
    stockFlagged: o.stock_flagged,
    priceDiffFen: o.price_diff_fen,
    createdAt: new Date(o.created_at).toISOString(),
    tableNo: o.table_no ?? null,
    pickupCode: o.pickup_code ?? null,
    handedOverAt: o.handed_over_at ? new Date(o.handed_over_at).toISOString() : null,
    receiptToken: o.receipt_token ?? null,
    lines: lines.map((l) => ({
      id: l.id,
      lineIndex: l.line_index,
      skuId: l.sku_id,
      name: l.product_name,
      spec: l.spec,
      qty: l.qty,
      unitListFen: l.unit_list_fen,
      listFen: l.list_fen,
      netFen: l.net_fen,
      returnedQty: l.returned_qty,
      returnedFen: l.returned_fen,
      adjustments: (l.adjustments as Adjustment[]).map(view),
    })),
    adjustments: pricing.adjustments.map(view),
    tenders: tenders.map((t) => ({ method: t.method, amountFen: t.amount_fen, reference: t.reference })),
  };
}
