import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../_db/schema.js';
import { AppError } from '../_kernel/errors.js';
import { newId } from '../../shared/ids.js';
import { formatFen } from '../../shared/money.js';
import type { StoredValueKind } from './tables.js';

type Db = Kysely<DB> | Transaction<DB>;

export interface Balance {
  principalFen: number;
  bonusFen: number;
}

export interface MovementInput {
  merchantId: string;
  memberId: string;
  kind: StoredValueKind;
  storeId: string | null;
  orderId?: string | null;
  refId: string;
  /** One per business event and member, e.g. `spend:<orderId>`; unique per merchant. */
  idempotencyKey: string;
  createdBy: string | null;
  at: Date;
  /**
   * What the movement is, decided from the balance as it stands once the
   * member's balance row is locked: a spend's split depends on it. Returns
   * the deltas, or throws an AppError to refuse.
   */
  deltas: (locked: Balance) => Balance;
}

export interface MovementResult {
  movementId: string;
  principalDeltaFen: number;
  bonusDeltaFen: number;
  balance: Balance;
  /** False when this key had been posted before with the same content: nothing moved. */
  created: boolean;
}

/**
 * Appends one movement to a member's stored value, in the caller's
 * transaction. The member's balance row is locked first (created when
 * missing), so movements for one member happen one at a time; the key is
 * checked under that lock, so two copies of one event cannot both pass it.
 * The balance changes by compare-and-set against the values read under the
 * lock, and the ledger row records both parts after it (the table's checks
 * keep them at or above zero). A repeat of a key with the same kind, member
 * and amounts is answered with the first movement; with other content, 409.
 */
export async function postMovement(trx: Transaction<DB>, m: MovementInput): Promise<MovementResult> {
  await trx.insertInto('stored_value_accounts').values({ member_id: m.memberId, merchant_id: m.merchantId, updated_at: m.at }).onConflict((oc) => oc.column('member_id').doNothing()).execute();
  const locked = await trx
    .selectFrom('stored_value_accounts')
    .select(['principal_fen', 'bonus_fen', 'seq', 'merchant_id'])
    .where('member_id', '=', m.memberId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  if (locked.merchant_id !== m.merchantId) throw new Error(`stored value: member ${m.memberId} is not of merchant ${m.merchantId}`);
  const balance = { principalFen: Number(locked.principal_fen), bonusFen: Number(locked.bonus_fen) };

  const earlier = await trx
    .selectFrom('stored_value_ledger')
    .select(['id', 'kind', 'member_id', 'principal_delta_fen', 'bonus_delta_fen'])
    .where('merchant_id', '=', m.merchantId)
    .where('idempotency_key', '=', m.idempotencyKey)
    .executeTakeFirst();
  if (earlier) {
    if (earlier.kind !== m.kind || earlier.member_id !== m.memberId) throw new AppError('idempotency_mismatch', `储值变动 ${m.idempotencyKey} 已按不同内容记过`);
    return { movementId: earlier.id, principalDeltaFen: Number(earlier.principal_delta_fen), bonusDeltaFen: Number(earlier.bonus_delta_fen), balance, created: false };
  }

  const d = m.deltas(balance);
  if (!Number.isSafeInteger(d.principalFen) || !Number.isSafeInteger(d.bonusFen) || (d.principalFen === 0 && d.bonusFen === 0)) throw new Error(`stored value: ${m.idempotencyKey} moves nothing`);
  const after = { principalFen: balance.principalFen + d.principalFen, bonusFen: balance.bonusFen + d.bonusFen };
  if (after.principalFen < 0 || after.bonusFen < 0) {
    throw new AppError('exceeds_balance', `储值余额不足：本金 ${formatFen(balance.principalFen)}、赠送 ${formatFen(balance.bonusFen)}`);
  }
  const seq = Number(locked.seq) + 1;
  // Compare-and-set on what was read under the lock: a writer that slipped past the lock would make this miss, never double-spend.
  const set = await trx
    .updateTable('stored_value_accounts')
    .set({ principal_fen: after.principalFen, bonus_fen: after.bonusFen, seq, updated_at: m.at })
    .where('member_id', '=', m.memberId)
    .where('seq', '=', Number(locked.seq))
    .where('principal_fen', '=', balance.principalFen)
    .where('bonus_fen', '=', balance.bonusFen)
    .executeTakeFirst();
  if (set.numUpdatedRows !== 1n) throw new AppError('conflict', '储值余额刚刚变动，请重试');
  const movementId = newId('storedValueMovement');
  await trx
    .insertInto('stored_value_ledger')
    .values({
      id: movementId,
      merchant_id: m.merchantId,
      member_id: m.memberId,
      seq,
      kind: m.kind,
      principal_delta_fen: d.principalFen,
      bonus_delta_fen: d.bonusFen,
      principal_after_fen: after.principalFen,
      bonus_after_fen: after.bonusFen,
      store_id: m.storeId,
      order_id: m.orderId ?? null,
      ref_id: m.refId,
      idempotency_key: m.idempotencyKey,
      created_by: m.createdBy,
      created_at: m.at,
    })
    .execute();
  return { movementId, principalDeltaFen: d.principalFen, bonusDeltaFen: d.bonusFen, balance: after, created: true };
}

/** A member's balance as it stands (zero for a member who never topped up). */
export async function balanceOf(db: Db, merchantId: string, memberId: string): Promise<Balance> {
  const row = await db.selectFrom('stored_value_accounts').select(['principal_fen', 'bonus_fen']).where('member_id', '=', memberId).where('merchant_id', '=', merchantId).executeTakeFirst();
  return { principalFen: Number(row?.principal_fen ?? 0), bonusFen: Number(row?.bonus_fen ?? 0) };
}

/** What an order drew from stored value and what its returns have given back so far, per part. */
export async function orderDraws(db: Db, merchantId: string, orderId: string): Promise<{ memberId: string | null; spent: Balance; restored: Balance }> {
  const rows = await db
    .selectFrom('stored_value_ledger')
    .select(['kind', 'member_id', 'principal_delta_fen', 'bonus_delta_fen'])
    .where('merchant_id', '=', merchantId)
    .where('order_id', '=', orderId)
    .where('kind', 'in', ['spend', 'return'])
    .execute();
  const spent = { principalFen: 0, bonusFen: 0 };
  const restored = { principalFen: 0, bonusFen: 0 };
  let memberId: string | null = null;
  for (const r of rows) {
    if (r.kind === 'spend') {
      memberId = r.member_id;
      spent.principalFen -= Number(r.principal_delta_fen);
      spent.bonusFen -= Number(r.bonus_delta_fen);
    } else {
      restored.principalFen += Number(r.principal_delta_fen);
      restored.bonusFen += Number(r.bonus_delta_fen);
    }
  }
  return { memberId, spent, restored };
}
