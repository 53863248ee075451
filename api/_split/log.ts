import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../_db/schema.js';
import type { SplitLogEvent } from './tables.js';

type Db = Kysely<DB> | Transaction<DB>;

/** One line of the split log (分账日志): append-only (a trigger refuses updates and deletes), in the caller's transaction. */
export async function recordSplitLog(
  db: Db,
  e: { merchantId: string; event: SplitLogEvent; paymentId?: string | null; splitId?: string | null; ruleId?: string | null; receiverId?: string | null; amountFen?: number | null; status?: string | null; detail?: Record<string, unknown>; at: Date },
): Promise<void> {
  await db
    .insertInto('split_log')
    .values({
      merchant_id: e.merchantId,
      event: e.event,
      payment_id: e.paymentId ?? null,
      split_id: e.splitId ?? null,
      rule_id: e.ruleId ?? null,
      receiver_id: e.receiverId ?? null,
      amount_fen: e.amountFen ?? null,
      status: e.status ?? null,
      detail: JSON.stringify(e.detail ?? {}),
      created_at: e.at,
    })
    .execute();
}

/** Whether the merchant has the payment whose split log is asked for: its id, or undefined. */
export async function paymentIdOfMerchant(db: Db, merchantId: string, paymentId: string): Promise<{ id: string } | undefined> {
  return db.selectFrom('payments').select('id').where('id', '=', paymentId).where('merchant_id', '=', merchantId).executeTakeFirst();
}

/** Whether the merchant has the split receiver whose log is asked for: its id, or undefined. */
export async function receiverIdOfMerchant(db: Db, merchantId: string, receiverId: string): Promise<{ id: string } | undefined> {
  return db.selectFrom('split_receivers').select('id').where('id', '=', receiverId).where('merchant_id', '=', merchantId).executeTakeFirst();
}

/**
 * The split log of one payment, or of one receiver when no payment is given,
 * oldest first, at most `limit` lines, each with its receiver's name and
 * account (absent for lines that name no receiver).
 */
export async function splitLogOf(db: Db, merchantId: string, of: { paymentId?: string | undefined; receiverId?: string | undefined }, limit: number) {
  let query = db
    .selectFrom('split_log')
    .leftJoin('split_receivers', 'split_receivers.id', 'split_log.receiver_id')
    .select(['split_log.id', 'split_log.created_at', 'split_log.event', 'split_log.payment_id', 'split_log.split_id', 'split_log.rule_id', 'split_log.receiver_id', 'split_log.amount_fen', 'split_log.status', 'split_log.detail', 'split_receivers.name', 'split_receivers.account'])
    .where('split_log.merchant_id', '=', merchantId);
  query = of.paymentId ? query.where('split_log.payment_id', '=', of.paymentId) : query.where('split_log.receiver_id', '=', of.receiverId!);
  return query.orderBy('split_log.id').limit(limit).execute();
}
