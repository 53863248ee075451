import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../_db/schema.js';
import type { Deps } from '../_kernel/deps.js';
import { AppError } from '../_kernel/errors.js';
import { ReplayRace, requestHash } from '../_kernel/idempotency.js';
import { businessDate } from '../_kernel/clock.js';
import { postPoints } from '../_members/index.js';
import { handOverHolds, holdStock, releaseHolds } from '../_stock/index.js';
import { newId } from '../../shared/ids.js';
import type { RedemptionView } from '../../shared/api/points-mall.js';
import { mall_pickup_code_draws_max, newMallPickupCode } from './pickup-code.js';
import { redemptionView } from './redemption-view.js';
import { postGiftHandover } from './gift-journal.js';

export interface RedeemInput {
  merchantId: string;
  memberId: string;
  storeId: string;
  giftId: string;
  qty: number;
  idempotencyKey: string;
  /** 'shop': the gift waits for pickup with a code; 'counter': it is handed over at once by this member of staff. */
  channel: 'shop' | 'counter';
  staffId: string | null;
}

/** A code collided with another gift waiting at the store: the insert is tried again with a new code. */
class CodeTaken extends Error {}

/**
 * Redeems a gift: in ONE transaction the redemption is recorded, the
 * member's points are taken (the points ledger), the units are held at the
 * pickup store (the stock ledger), and at the counter handed over at once.
 * The order is fixed: the redemption row first, so a repeat of the same key
 * waits for its twin and replays it; then the member row (inside postPoints),
 * whose lock makes the per-member limit count exact; then the stock level,
 * whose conditional update lets only one of two members have the last unit.
 * Any refusal rolls back everything.
 */
export async function redeemGift(deps: Deps, input: RedeemInput): Promise<{ redemption: RedemptionView; replayed: boolean }> {
  const hash = requestHash({ giftId: input.giftId, storeId: input.storeId, qty: input.qty, memberId: input.memberId, channel: input.channel });
  const replay = await findReplay(deps.db, input.merchantId, input.idempotencyKey, hash);
  if (replay) return replay;

  const gift = await deps.db.selectFrom('mall_gifts').selectAll().where('id', '=', input.giftId).where('merchant_id', '=', input.merchantId).executeTakeFirst();
  if (!gift) throw new AppError('not_found', '找不到这件礼品');
  if (!gift.active) throw new AppError('bad_request', '这件礼品已停止兑换', [{ path: 'giftId', message: 'gift is not active' }]);
  const store = await deps.db.selectFrom('stores').select('id').where('id', '=', input.storeId).where('merchant_id', '=', input.merchantId).executeTakeFirst();
  if (!store) throw new AppError('not_found', '找不到这家门店');
  const member = await deps.db.selectFrom('members').select('id').where('id', '=', input.memberId).where('merchant_id', '=', input.merchantId).executeTakeFirst();
  if (!member) throw new AppError('not_found', '找不到这位会员');

  const points = gift.points_price * input.qty;
  const cashFen = Number(gift.cash_fen) * input.qty;
  const now = deps.clock();
  for (let draw = 1; ; draw++) {
    const id = newId('mallRedemption', now.getTime());
    try {
      await deps.db.transaction().execute(async (trx) => {
        const inserted = await trx
          .insertInto('mall_redemptions')
          .values({
            id,
            merchant_id: input.merchantId,
            gift_id: gift.id,
            member_id: input.memberId,
            store_id: input.storeId,
            sku_id: gift.sku_id,
            qty: input.qty,
            points,
            cash_fen: cashFen,
            channel: input.channel,
            status: input.channel === 'counter' ? 'picked_up' : 'awaiting_pickup',
            pickup_code: input.channel === 'counter' ? null : newMallPickupCode(),
            idempotency_key: input.idempotencyKey,
            request_hash: hash,
            created_at: now,
            picked_up_at: input.channel === 'counter' ? now : null,
            picked_up_by: input.channel === 'counter' ? input.staffId : null,
          })
          // Any unique key taken: the idempotency key (a twin committed first) or the code.
          .onConflict((oc) => oc.doNothing())
          .returning('id')
          .executeTakeFirst();
        if (!inserted) {
          const twin = await trx.selectFrom('mall_redemptions').select('id').where('merchant_id', '=', input.merchantId).where('idempotency_key', '=', input.idempotencyKey).executeTakeFirst();
          throw twin ? new ReplayRace() : new CodeTaken();
        }
        await postPoints(trx, { merchantId: input.merchantId, memberId: input.memberId, delta: -points, reason: 'mall_redeem', refId: id, idempotencyKey: `mall_redeem:${id}` });
        // Under the member's lock (taken by postPoints): this member's other redemptions are all committed or waiting behind us.
        const taken = await trx
          .selectFrom('mall_redemptions')
          .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('qty'), eb.lit(0)).as('n'))
          .where('member_id', '=', input.memberId)
          .where('gift_id', '=', gift.id)
          .where('status', '<>', 'cancelled')
          .executeTakeFirstOrThrow();
        if (Number(taken.n) > gift.per_member_max) {
          const before = Number(taken.n) - input.qty;
          throw new AppError('bad_request', `每人限兑 ${gift.per_member_max} 件，已兑 ${before} 件，本次 ${input.qty} 件超出`, [{ path: 'qty', message: 'over the per-member limit' }]);
        }
        const lines = [{ skuId: gift.sku_id, qty: input.qty }];
        await holdStock(trx, { merchantId: input.merchantId, storeId: input.storeId, reservationId: id, lines, by: input.staffId });
        if (input.channel === 'counter') {
          await handOverHolds(trx, { merchantId: input.merchantId, storeId: input.storeId, holdId: id, lines, by: input.staffId });
          await postGiftHandover(trx, { merchantId: input.merchantId, storeId: input.storeId, redemptionId: id, skuId: gift.sku_id, qty: input.qty, points, cashFen, businessDate: businessDate(now), at: now });
        }
      });
      return { redemption: (await redemptionView(deps.db, input.merchantId, id))!, replayed: false };
    } catch (e) {
      if (e instanceof ReplayRace) {
        const again = await findReplay(deps.db, input.merchantId, input.idempotencyKey, hash);
        if (again) return again;
      }
      if (e instanceof CodeTaken && draw < mall_pickup_code_draws_max) continue;
      if (e instanceof CodeTaken) throw new Error(`no free pickup code after ${mall_pickup_code_draws_max} draws at store ${input.storeId}`, { cause: e });
      throw e;
    }
  }
}

async function findReplay(db: Kysely<DB>, merchantId: string, key: string, hash: string): Promise<{ redemption: RedemptionView; replayed: boolean } | null> {
  const row = await db.selectFrom('mall_redemptions').select(['id', 'request_hash']).where('merchant_id', '=', merchantId).where('idempotency_key', '=', key).executeTakeFirst();
  if (!row) return null;
  if (row.request_hash !== hash) throw new AppError('idempotency_mismatch', `兑换请求 ${key} 已用于另一次兑换`);
  return { redemption: (await redemptionView(db, merchantId, row.id))!, replayed: true };
}

/**
 * Cancels a redemption still waiting for pickup: by compare-and-set from
 * 'awaiting_pickup', so however many taps race, the points and the held
 * units go back once. A cancelled one answers as it is; a handed-over one
 * cannot be cancelled. `by.memberId` limits a member to their own.
 */
export async function cancelRedemption(deps: Deps, by: { merchantId: string; memberId?: string; staffId?: string; storeIds?: readonly string[] }, id: string): Promise<RedemptionView> {
  const now = deps.clock();
  await deps.db.transaction().execute(async (trx) => {
    let q = trx
      .updateTable('mall_redemptions')
      .set({ status: 'cancelled', cancelled_at: now, cancelled_by: by.staffId ?? null })
      .where('id', '=', id)
      .where('merchant_id', '=', by.merchantId)
      .where('status', '=', 'awaiting_pickup');
    if (by.memberId) q = q.where('member_id', '=', by.memberId);
    if (by.storeIds) q = q.where('store_id', 'in', by.storeIds.length > 0 ? [...by.storeIds] : ['']);
    const row = await q.returning(['id', 'member_id', 'store_id', 'sku_id', 'qty', 'points']).executeTakeFirst();
    if (!row) return;
    await postPoints(trx, { merchantId: by.merchantId, memberId: row.member_id, delta: row.points, reason: 'mall_cancel', refId: row.id, idempotencyKey: `mall_cancel:${row.id}` });
    await releaseHolds(trx, { merchantId: by.merchantId, storeId: row.store_id, reservationId: row.id, by: by.staffId ?? null, lines: [{ skuId: row.sku_id, qty: row.qty }] });
  });
  const view = await redemptionView(deps.db, by.merchantId, id);
  if (!view || (by.memberId && view.memberId !== by.memberId) || (by.storeIds && !by.storeIds.includes(view.storeId))) throw new AppError('not_found', '找不到这次兑换');
  if (view.status === 'picked_up') throw new AppError('invalid_state', '礼品已领取，不能取消');
  return view;
}

/** The redemption a code names at a store, while it waits (the counter looks before handing over). */
export async function redemptionByCode(db: Kysely<DB>, merchantId: string, storeId: string, code: string): Promise<RedemptionView> {
  const row = await db
    .selectFrom('mall_redemptions')
    .select('id')
    .where('merchant_id', '=', merchantId)
    .where('store_id', '=', storeId)
    .where('pickup_code', '=', code)
    .where('status', '=', 'awaiting_pickup')
    .executeTakeFirst();
  if (!row) throw new AppError('not_found', `兑换码 ${code} 不存在、已领取或已取消`);
  return (await redemptionView(db, merchantId, row.id))!;
}

/**
 * Hands a waiting gift over at the store its code belongs to: by
 * compare-and-set to 'picked_up', so two taps hand it over once; the hold
 * becomes a gift_out movement and the journal records the gift.
 */
export async function handOverByCode(deps: Deps, staff: { merchantId: string; staffId: string }, storeId: string, code: string): Promise<RedemptionView> {
  const now = deps.clock();
  const id = await deps.db.transaction().execute(async (trx: Transaction<DB>) => {
    const row = await trx
      .updateTable('mall_redemptions')
      .set({ status: 'picked_up', picked_up_at: now, picked_up_by: staff.staffId })
      .where('merchant_id', '=', staff.merchantId)
      .where('store_id', '=', storeId)
      .where('pickup_code', '=', code)
      .where('status', '=', 'awaiting_pickup')
      .returning(['id', 'sku_id', 'qty', 'points', 'cash_fen'])
      .executeTakeFirst();
    if (!row) return null;
    await handOverHolds(trx, { merchantId: staff.merchantId, storeId, holdId: row.id, by: staff.staffId, lines: [{ skuId: row.sku_id, qty: row.qty }] });
    await postGiftHandover(trx, { merchantId: staff.merchantId, storeId, redemptionId: row.id, skuId: row.sku_id, qty: row.qty, points: row.points, cashFen: Number(row.cash_fen), businessDate: businessDate(now), at: now });
    return row.id;
  });
  if (!id) throw new AppError('not_found', `兑换码 ${code} 不存在、已领取或已取消`);
  return (await redemptionView(deps.db, staff.merchantId, id))!;
}
