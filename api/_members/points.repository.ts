import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../_db/schema.js';
import { AppError } from '../_kernel/errors.js';
import { newId } from '../../shared/ids.js';
import { preparedSql } from '../_db/prepared-sql.js';

/** Why points moved; merge_out and merge_in are the two halves of a merge (#17), so no point is counted twice. */
export type PointsReason =
  | 'earn' | 'redeem' | 'redeem_cancel' | 'clawback' | 'refund_redeem' | 'adjust' | 'opening_balance' | 'merge_out' | 'merge_in'
  // Points mall and referral (#17): a gift taken, a gift's redemption cancelled, a referral's reward.
  | 'mall_redeem' | 'mall_cancel' | 'referral_reward';

export interface PointsPosting {
  merchantId: string;
  memberId: string;
  delta: number;
  reason: PointsReason;
  refId: string | null;
  /** One per business event and reason, e.g. `earn:<orderId>`. */
  idempotencyKey: string;
  /** Earnings only: the member level's multiplier the points were earned at. */
  multiplierBp?: number;
}

/**
 * Appends one movement to a member's points ledger. The member row is locked
 * first, so postings for one member happen one at a time and each records the
 * balance after it; the ledger's check constraint keeps every balance at or
 * above zero, and the unique key makes a replayed event a no-op.
 */
export async function postPoints(trx: Transaction<DB>, p: PointsPosting): Promise<{ balance: number; created: boolean }> {
  if (!Number.isSafeInteger(p.delta) || p.delta === 0) throw new RangeError('points delta must be a non-zero integer');
  // The lock comes first, in its own statement: a statement that waited for
  // the lock still reads with the snapshot it started with, so the balance
  // must be read by a later statement to see the posting that held the lock.
  const member = await preparedSql<{ id: string; merged_into: string | null }>`select id, merged_into from members where id = ${p.memberId} and merchant_id = ${p.merchantId} for update`.execute(trx);
  if (member.rows.length === 0) throw new Error(`postPoints: member ${p.memberId} of merchant ${p.merchantId} not found`);
  // A member absorbed by a merge holds no points any more; its points went to the survivor, and so must new ones.
  if (member.rows[0]!.merged_into !== null) throw new AppError('conflict', '这位会员已与另一会员合并，请重新查找会员后再试');
  // The usual case in one statement, after the lock: no earlier posting under this key and enough points.
  const posted = await preparedSql<{ balance_after: number }>`insert into points_ledger (id, merchant_id, member_id, delta, balance_after, reason, ref_id, idempotency_key, multiplier_bp)
    select ${newId('points')}, ${p.merchantId}, ${p.memberId}, ${p.delta}, b.balance + ${p.delta}, ${p.reason}, ${p.refId}, ${p.idempotencyKey}, ${p.multiplierBp ?? null}::integer
    from (select coalesce((select balance_after from points_ledger where member_id = ${p.memberId} order by seq desc limit 1), 0) as balance) b
    where b.balance + ${p.delta} >= 0 and not exists (select 1 from points_ledger where idempotency_key = ${p.idempotencyKey})
    returning balance_after`.execute(trx);
  if (posted.rows[0]) return { balance: posted.rows[0].balance_after, created: true };
  // Otherwise say why: a replay, a replay with another amount, or too few points.
  const row = await trx
    .selectNoFrom((eb) => [
      eb.selectFrom('points_ledger').select('balance_after').where('member_id', '=', p.memberId).orderBy('seq', 'desc').limit(1).as('balance'),
      eb.selectFrom('points_ledger').select('delta').where('idempotency_key', '=', p.idempotencyKey).as('existing_delta'),
      eb.selectFrom('points_ledger').select('member_id').where('idempotency_key', '=', p.idempotencyKey).as('existing_member'),
    ])
    .executeTakeFirstOrThrow();
  const before = row.balance ?? 0;
  if (row.existing_delta !== null && row.existing_delta !== undefined) {
    if (row.existing_delta !== p.delta || row.existing_member !== p.memberId) {
      throw new AppError('idempotency_mismatch', `积分变动 ${p.idempotencyKey} 已按不同数额记过`);
    }
    return { balance: before, created: false };
  }
  const after = before + p.delta;
  if (after < 0) throw new AppError('bad_request', `积分不足：现有 ${before}，需要 ${-p.delta}`);
  await trx
    .insertInto('points_ledger')
    .values({ id: newId('points'), merchant_id: p.merchantId, member_id: p.memberId, delta: p.delta, balance_after: after, reason: p.reason, ref_id: p.refId, idempotency_key: p.idempotencyKey, multiplier_bp: p.multiplierBp ?? null })
    .execute();
  return { balance: after, created: true };
}

/**
 * A member's points balance: the balance recorded by their latest posting
 * (the ledger keeps it equal to the sum of the movements). Inside a posting
 * transaction, lock the member row first so no posting slips in between.
 */
export async function pointsBalance(db: Kysely<DB> | Transaction<DB>, memberId: string): Promise<number> {
  const last = await db
    .selectFrom('points_ledger')
    .select('balance_after')
    .where('member_id', '=', memberId)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return last?.balance_after ?? 0;
}
