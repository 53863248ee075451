import { sql, type Transaction } from 'kysely';
import type { DB } from '../_db/schema.js';

/**
 * The order's side of a completed return, in the return's transaction: each
 * line's returned quantity and amount grow (the lines' check constraints
 * refuse returning more than was sold), and the order's refunded total and
 * status follow. Orders and their lines are this module's tables; the
 * returns module decides what comes back and calls this.
 */
export async function recordOrderReturn(
  trx: Transaction<DB>,
  order: { id: string; total_fen: number; refunded_fen: number },
  lines: readonly { orderLineId: string; qty: number; amountFen: number }[],
): Promise<{ refundedFen: number }> {
  for (const line of lines) {
    await trx
      .updateTable('order_lines')
      .set({ returned_qty: sql`returned_qty + ${line.qty}`, returned_fen: sql`returned_fen + ${line.amountFen}` })
      .where('id', '=', line.orderLineId)
      .where('order_id', '=', order.id)
      .execute();
  }
  const refundedFen = order.refunded_fen + lines.reduce((s, l) => s + l.amountFen, 0);
  await trx
    .updateTable('orders')
    .set({ refunded_fen: refundedFen, status: refundedFen === order.total_fen ? 'refunded' : 'partially_refunded' })
    .where('id', '=', order.id)
    .execute();
  return { refundedFen };
}
