import { yuanToFen } from '../../shared/money';
import { purchase_line_qty_max, purchase_order_lines_max, purchase_unit_cost_fen_max, type AgingBucket, type PurchaseOrderStatus, type PurchaseOrderView } from '../../shared/api/purchasing';

export const po_status_labels: Record<PurchaseOrderStatus, string> = {
  draft: '草稿',
  ordered: '已下单',
  partially_received: '部分收货',
  received: '已收货',
  cancelled: '已取消',
};

export const aging_bucket_labels: Record<AgingBucket, string> = {
  current: '未到期',
  d1_30: '逾期1–30天',
  d31_60: '逾期31–60天',
  d61_90: '逾期61–90天',
  d90_plus: '逾期90天以上',
};

export const aging_buckets: readonly AgingBucket[] = ['current', 'd1_30', 'd31_60', 'd61_90', 'd90_plus'];

export type Checked<T> = { ok: true; value: T } | { ok: false; message: string };

function wholeQty(text: string): number | null {
  const t = text.trim();
  if (t === '') return 0;
  if (!/^\d{1,6}$/.test(t)) return null;
  return Number(t);
}

/**
 * The receive form's typed quantities as a request: blank or 0 lines are
 * left out, and a quantity above what remains is refused here, with the
 * line named, before the server would refuse it.
 */
export function receiveLinesFrom(order: Pick<PurchaseOrderView, 'lines'>, typed: Readonly<Record<string, string>>): Checked<{ skuId: string; qty: number }[]> {
  const lines: { skuId: string; qty: number }[] = [];
  for (const l of order.lines) {
    const qty = wholeQty(typed[l.skuId] ?? '');
    if (qty === null) return { ok: false, message: `${l.name}：数量须是整数` };
    if (qty === 0) continue;
    const remaining = l.qty - l.receivedQty;
    if (qty > remaining) return { ok: false, message: `${l.name}：未收 ${remaining}，不能收 ${qty}` };
    lines.push({ skuId: l.skuId, qty });
  }
  if (lines.length === 0) return { ok: false, message: '请至少填写一行收货数量' };
  return { ok: true, value: lines };
}

/** Every line's remaining quantity, to fill the form for a full receipt. */
export function receiveAllTyped(order: Pick<PurchaseOrderView, 'lines'>): Record<string, string> {
  return Object.fromEntries(order.lines.filter((l) => l.qty > l.receivedQty).map((l) => [l.skuId, String(l.qty - l.receivedQty)]));
}

export interface DraftLine {
  skuId: string;
  name: string;
  qtyText: string;
  /** Unit cost in yuan as typed, e.g. "2.5". */
  costText: string;
}

/** A new order's draft lines as request lines: whole quantities, costs in fen from yuan, within the named limits. */
export function purchaseLinesFrom(draft: readonly DraftLine[]): Checked<{ skuId: string; qty: number; unitCostFen: number }[]> {
  if (draft.length === 0) return { ok: false, message: '请先添加商品' };
  if (draft.length > purchase_order_lines_max) return { ok: false, message: `一张采购单最多 ${purchase_order_lines_max} 行` };
  const lines: { skuId: string; qty: number; unitCostFen: number }[] = [];
  for (const d of draft) {
    const qty = wholeQty(d.qtyText);
    if (qty === null || qty < 1 || qty > purchase_line_qty_max) return { ok: false, message: `${d.name}：数量须是 1–${purchase_line_qty_max} 的整数` };
    let unitCostFen: number;
    try {
      unitCostFen = yuanToFen(d.costText);
    } catch {
      return { ok: false, message: `${d.name}：进价须是金额，如 2.50` };
    }
    if (unitCostFen < 0 || unitCostFen > purchase_unit_cost_fen_max) return { ok: false, message: `${d.name}：进价超出范围` };
    lines.push({ skuId: d.skuId, qty, unitCostFen });
  }
  return { ok: true, value: lines };
}

/** The Asia/Shanghai calendar day of a moment, as the API's business days are. */
export function shanghaiDay(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** From the first of the month to `today`: the default period of statements and the purchases report. */
export function monthToDate(today: string): { from: string; to: string } {
  return { from: `${today.slice(0, 8)}01`, to: today };
}
