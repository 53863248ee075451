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
