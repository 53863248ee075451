import type { Kysely, Selectable, Transaction } from 'kysely';
import type { DB } from '../_db/schema.js';
import type { Deps } from '../_kernel/deps.js';
import type { StaffPrincipal } from '../_kernel/context.js';
import { AppError } from '../_kernel/errors.js';
import { requestHash } from '../_kernel/idempotency.js';
import { assertStoreAccess } from '../_identity/index.js';
import { formatFen } from '../../shared/money.js';
import type { CounterTopUpRequest, TopUpResponse } from '../../shared/api/stored-value.js';
import { memberCapFen } from './caps.js';
import { balanceOf, postMovement, type Balance } from './movements.repository.js';
import { queueBalanceNotice } from './notice.js';
import { sendMessagesSoon } from '../_messages/index.js';
import { postTopUp } from './journal.js';
import { toBalanceView } from './views.js';

type TopUpRow = Selectable<DB['stored_value_top_ups']>;

function toTopUpView(t: TopUpRow): TopUpResponse['topUp'] {
  return { id: t.id, memberId: t.member_id, planId: t.plan_id, payFen: Number(t.pay_fen), bonusFen: Number(t.bonus_fen), method: t.method, status: t.status, createdAt: t.created_at.toISOString() };
}

/** The cap check of the prepaid card rules, on the balance as it stands under the member's lock. */
function capped(capFen: number, add: Balance) {
  return (locked: Balance): Balance => {
    const after = locked.principalFen + locked.bonusFen + add.principalFen + add.bonusFen;
    if (after > capFen) {
      throw new AppError(
        'limit_exceeded',
        `充值后储值余额 ${formatFen(after)} 将超过每张储值卡上限 ${formatFen(capFen)}（单用途预付卡规定：记名卡不超过 5000 元，不记名卡不超过 1000 元），现有 ${formatFen(locked.principalFen + locked.bonusFen)}`,
        [{ path: 'planId', message: 'over the card cap' }],
      );
    }
    return add;
  };
}

/**
 * Credits a top-up whose money has arrived, in the caller's transaction:
 * compare-and-set pending→credited first, so a counter's retry, a platform's
 * repeated notification and a query racing it credit the balance once. The
 * principal and the bonus go in apart, and the journal books the principal
 * as owed to the member. False when it was no longer pending.
 */
export async function creditTopUp(trx: Transaction<DB>, topUpId: string, capFen: number, at: Date): Promise<boolean> {
  const t = await trx.updateTable('stored_value_top_ups').set({ status: 'credited', credited_at: at }).where('id', '=', topUpId).where('status', '=', 'pending').returningAll().executeTakeFirst();
  if (!t) return false;
  const moved = await postMovement(trx, {
    merchantId: t.merchant_id,
    memberId: t.member_id,
    kind: 'top_up',
    storeId: t.store_id,
    refId: t.id,
    idempotencyKey: `top_up:${t.id}`,
    createdBy: t.created_by,
    at,
    deltas: capped(capFen, { principalFen: Number(t.pay_fen), bonusFen: Number(t.bonus_fen) }),
  });
  await postTopUp(trx, { merchantId: t.merchant_id, storeId: t.store_id, at, topUpId: t.id, method: t.method, payFen: Number(t.pay_fen) });
  // The compare-and-set above makes this the one credit of the top-up, so its message is queued once.
  await queueBalanceNotice(trx, { merchantId: t.merchant_id, memberId: t.member_id, kind: 'top_up', ref: t.id, deltaFen: moved.principalDeltaFen + moved.bonusDeltaFen, balance: moved.balance, at });
  return true;
}

async function activePlan(db: Kysely<DB>, merchantId: string, planId: string) {
  const plan = await db.selectFrom('stored_value_plans').selectAll().where('id', '=', planId).where('merchant_id', '=', merchantId).executeTakeFirst();
  if (!plan) throw new AppError('not_found', `找不到储值方案 ${planId}`);
  if (plan.status !== 'active') throw new AppError('invalid_state', `储值方案「${plan.name}」已停用`, [{ path: 'planId', message: 'stopped' }]);
  return plan;
}

/**
 * The counter takes a top-up paid in cash or by card. The amounts are the
 * plan's, never the request's. Any member of staff may take one, as they
 * take a sale's cash; refunds of stored value are the owner's alone. The
 * client's id makes it idempotent: a replay answers the first top-up, other
 * content under the same id is refused.
 */
export async function counterTopUp(deps: Deps, staff: StaffPrincipal, storeId: string, input: CounterTopUpRequest): Promise<TopUpResponse> {
  await assertStoreAccess(deps.db, staff, storeId);
  const hash = requestHash({ storeId, ...input });
  const replay = await replayOf(deps.db, staff.merchantId, input.clientTopUpId, hash);
  if (replay) return replay;
  const member = await deps.db.selectFrom('members').select('id').where('id', '=', input.memberId).where('merchant_id', '=', staff.merchantId).executeTakeFirst();
  if (!member) throw new AppError('not_found', `找不到会员 ${input.memberId}`);
  const plan = await activePlan(deps.db, staff.merchantId, input.planId);
  const capFen = await memberCapFen(deps.db, staff.merchantId, input.memberId);
  const now = deps.clock();
  await deps.db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('stored_value_top_ups')
      .values({
        id: input.clientTopUpId,
        merchant_id: staff.merchantId,
        store_id: storeId,
        member_id: input.memberId,
        plan_id: plan.id,
        pay_fen: plan.pay_fen,
        bonus_fen: plan.bonus_fen,
        method: input.method,
        reference: input.reference ?? null,
        status: 'pending',
        request_hash: hash,
        created_by: staff.staffId,
        created_at: now,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (inserted) await creditTopUp(trx, inserted.id, capFen, now);
  });
  // The credit queued the member's 储值变动 message: send it now rather than at the next sweep.
  sendMessagesSoon(deps, staff.merchantId);
  const answer = await replayOf(deps.db, staff.merchantId, input.clientTopUpId, hash);
  if (!answer) throw new AppError('idempotency_mismatch', `充值号 ${input.clientTopUpId} 已被使用`);
  return { ...answer, replayed: false };
}

async function replayOf(db: Kysely<DB>, merchantId: string, topUpId: string, hash: string): Promise<TopUpResponse | null> {
  const t = await db.selectFrom('stored_value_top_ups').selectAll().where('id', '=', topUpId).executeTakeFirst();
  if (!t) return null;
  if (t.merchant_id !== merchantId || t.request_hash !== hash) throw new AppError('idempotency_mismatch', `充值号 ${topUpId} 已用于另一笔充值`);
  const [balance, capFen] = await Promise.all([balanceOf(db, merchantId, t.member_id), memberCapFen(db, merchantId, t.member_id)]);
  return { topUp: toTopUpView(t), balance: toBalanceView(balance, capFen), replayed: true };
}

/**
 * A top-up paid with WeChat Pay or Alipay, credited by the payments module in
 * the transaction that sets its payment succeeded (a verified notification or
 * a query, compare-and-set). The amount is checked against the top-up's own,
 * which the server took from the plan. The cap was checked when the top-up
 * was opened; once the platform has the member's money it is credited, since
 * refusing it here would leave the money with neither side.
 */
export async function creditPaidTopUp(trx: Transaction<DB>, p: { topUpId: string; paymentId: string; amountFen: number; at: Date }): Promise<boolean> {
  const t = await trx.selectFrom('stored_value_top_ups').select(['pay_fen', 'status']).where('id', '=', p.topUpId).executeTakeFirstOrThrow();
  if (Number(t.pay_fen) !== p.amountFen) throw new Error(`top-up ${p.topUpId} is ${t.pay_fen} fen, its payment ${p.paymentId} ${p.amountFen}`);
  await trx.updateTable('stored_value_top_ups').set({ reference: p.paymentId }).where('id', '=', p.topUpId).where('status', '=', 'pending').execute();
  return creditTopUp(trx, p.topUpId, Number.MAX_SAFE_INTEGER, p.at);
}

/**
 * A shopper opens a top-up in the shop: the plan sets the amounts, the cap is
 * checked against the balance now (a top-up that would pass it is refused
 * before any money moves), and the top-up waits for its payment. The
 * client's id makes it idempotent.
 */
export async function openShopTopUp(deps: Deps, member: { merchantId: string; memberId: string }, input: { clientTopUpId: string; planId: string; storeId: string; channel: 'wechat' | 'alipay' }): Promise<TopUpResponse> {
  const hash = requestHash({ memberId: member.memberId, ...input });
  const replay = await replayOf(deps.db, member.merchantId, input.clientTopUpId, hash);
  if (replay) return replay;
  const store = await deps.db.selectFrom('stores').select('id').where('id', '=', input.storeId).where('merchant_id', '=', member.merchantId).executeTakeFirst();
  if (!store) throw new AppError('not_found', `找不到门店 ${input.storeId}`);
  const plan = await activePlan(deps.db, member.merchantId, input.planId);
  const [capFen, balance] = await Promise.all([memberCapFen(deps.db, member.merchantId, member.memberId), balanceOf(deps.db, member.merchantId, member.memberId)]);
  capped(capFen, { principalFen: Number(plan.pay_fen), bonusFen: Number(plan.bonus_fen) })(balance);
  await deps.db
    .insertInto('stored_value_top_ups')
    .values({
      id: input.clientTopUpId,
      merchant_id: member.merchantId,
      store_id: input.storeId,
      member_id: member.memberId,
      plan_id: plan.id,
      pay_fen: plan.pay_fen,
      bonus_fen: plan.bonus_fen,
      method: input.channel,
      reference: null,
      status: 'pending',
      request_hash: hash,
      created_by: null,
      created_at: deps.clock(),
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  const answer = await replayOf(deps.db, member.merchantId, input.clientTopUpId, hash);
  if (!answer) throw new AppError('idempotency_mismatch', `充值号 ${input.clientTopUpId} 已被使用`);
  return { ...answer, replayed: false };
}

/** A shopper's own top-up, with their balance: how the 储值 page learns the payment has arrived. */
export async function shopTopUp(db: Kysely<DB>, member: { merchantId: string; memberId: string }, topUpId: string): Promise<TopUpResponse> {
  const t = await db.selectFrom('stored_value_top_ups').selectAll().where('id', '=', topUpId).where('merchant_id', '=', member.merchantId).executeTakeFirst();
  if (!t || t.member_id !== member.memberId) throw new AppError('not_found', `找不到充值 ${topUpId}`);
  const [balance, capFen] = await Promise.all([balanceOf(db, member.merchantId, member.memberId), memberCapFen(db, member.merchantId, member.memberId)]);
  return { topUp: toTopUpView(t), balance: toBalanceView(balance, capFen), replayed: true };
}
