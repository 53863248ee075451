import type { Selectable } from 'kysely';
import type { DB } from '../_db/schema.js';

export function toRefundView(r: Selectable<DB['platform_refunds']>) {
  return {
    id: r.id,
    paymentId: r.payment_id,
    orderId: r.order_id,
    returnId: r.return_id,
    channel: r.channel,
    amountFen: r.amount_fen,
    reason: r.reason,
    status: r.status,
    failure: r.failure_code ? { code: r.failure_code, message: r.failure_message ?? '' } : null,
    attempts: r.attempts,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}
