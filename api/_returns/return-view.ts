import type { Kysely } from 'kysely';
import type { DB } from '../_db/schema.js';
import { AppError } from '../_kernel/errors.js';
import type { ReturnView } from '../../shared/api/returns.js';

export async function returnViews(db: Kysely<DB>, merchantId: string, ids: string[]): Promise<ReturnView[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('returns')
    .innerJoin('orders', 'orders.id', 'returns.order_id')
    .innerJoin('staff as requester', 'requester.id', 'returns.requested_by')
    .leftJoin('staff as decider', 'decider.id', 'returns.decided_by')
    .select([
      'returns.id', 'returns.order_id', 'returns.store_id', 'returns.status', 'returns.amount_fen', 'returns.points_clawback', 'returns.reason',
      'returns.decision_note', 'returns.created_at', 'returns.requested_by', 'returns.decided_by', 'orders.receipt_no',
      'requester.name as requester_name', 'decider.name as decider_name',
    ])
    .where('returns.merchant_id', '=', merchantId)
    .where('returns.id', 'in', ids)
    .orderBy('returns.id', 'desc')
    .execute();
  const lines = await db
    .selectFrom('return_lines')
    .innerJoin('order_lines', 'order_lines.id', 'return_lines.order_line_id')
    .select(['return_lines.return_id', 'return_lines.order_line_id', 'return_lines.qty', 'return_lines.amount_fen', 'order_lines.product_name', 'order_lines.spec', 'order_lines.line_index'])
    .where('return_lines.return_id', 'in', ids)
    .orderBy('order_lines.line_index')
    .execute();
  const refunds = await db.selectFrom('return_refunds').selectAll().where('return_id', 'in', ids).orderBy('line_no').execute();
  return rows.map((r) => ({
    id: r.id,
    orderId: r.order_id,
    receiptNo: r.receipt_no ?? '',
    storeId: r.store_id,
    status: r.status,
    amountFen: r.amount_fen,
    pointsClawback: r.points_clawback,
    reason: r.reason,
    requestedBy: { id: r.requested_by, name: r.requester_name },
    decidedBy: r.decided_by && r.decider_name ? { id: r.decided_by, name: r.decider_name } : null,
    decisionNote: r.decision_note,
    createdAt: new Date(r.created_at).toISOString(),
    lines: lines.filter((l) => l.return_id === r.id).map((l) => ({ orderLineId: l.order_line_id, name: l.spec ? `${l.product_name} ${l.spec}` : l.product_name, qty: l.qty, amountFen: l.amount_fen })),
    refunds: refunds.filter((x) => x.return_id === r.id).map((x) => ({ method: x.method, amountFen: x.amount_fen })),
  }));
}

export async function returnViewById(db: Kysely<DB>, merchantId: string, id: string): Promise<ReturnView> {
  const [view] = await returnViews(db, merchantId, [id]);
  if (!view) throw new AppError('not_found', `找不到退货单 ${id}`);
  return view;
}
