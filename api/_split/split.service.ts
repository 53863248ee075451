import { formatFen } from '../../shared/money.js';
import type { Deps } from '../_kernel/deps.js';
import type { PaymentChannel, SplitReceiverAccount, SplitState } from '../_payments/index.js';
import { raiseAlert } from '../_alerts/index.js';
import { allocateSplit } from '../../shared/split/allocate.js';
import { recordSplitLog } from './log.js';
import { settleRoyaltyReturns } from './refund-hook.js';
import { ruleInForce, ruleLines, shareOf, split_cap_bp, type RuleLine } from './rules.service.js';

/** The platforms take a split no sooner than a minute after payment. */
export const split_after_payment_ms = 60_000;
export const split_job_batch_max = 50;
/** A split the platform keeps refusing stops being sent after this many tries and is left for the owner. */
export const split_attempts_max = 10;

const relationOf: Record<string, SplitReceiverAccount['relation']> = { brand: 'BRAND', landlord: 'STORE_OWNER', platform: 'SERVICE_PROVIDER', staff: 'STAFF' };

export interface SplitJobResult {
  calculated: number;
  requested: number;
  finished: number;
  unfrozen: number;
  failed: number;
  /** Split money asked back inside a refund (Alipay) whose outcome was recorded in this run. */
  returned: number;
}

function errorText(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).slice(0, 300);
}

/**
 * Computes the split of a paid payment placed for profit sharing, once: the
 * split row's primary key is its out_order_no and is unique per payment, so
 * a second job finds it there. A payment already partly refunded is not
 * split: its frozen funds are simply released.
 */
async function calculate(deps: Deps, p: { id: string; merchant_id: string; store_id: string; channel: 'wechat' | 'alipay'; amount_fen: number; refunded_fen: number; created_at: Date }): Promise<boolean> {
  const now = deps.clock();
  const ruleId = await ruleInForce(deps.db, p.merchant_id, p.store_id, p.created_at);
  const lines = ruleId ? (await ruleLines(deps.db, ruleId)).filter((l) => l.channel === p.channel) : [];
  const allocation = allocateSplit(p.amount_fen, lines.map(shareOf), split_cap_bp[p.channel]);
  const cancelled = p.refunded_fen > 0 || !ruleId;
  const splitFen = cancelled ? 0 : p.amount_fen - allocation.retainedFen;
  const splitId = `spl_${p.id.slice(4)}`;
  return deps.db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('payment_splits')
      .values({
        id: splitId,
        merchant_id: p.merchant_id,
        store_id: p.store_id,
        payment_id: p.id,
        rule_id: ruleId,
        channel: p.channel,
        paid_fen: p.amount_fen,
        split_fen: splitFen,
        retained_fen: p.amount_fen - splitFen,
        status: cancelled || splitFen === 0 ? 'finished' : 'calculated',
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.column('payment_id').doNothing())
      .executeTakeFirst();
    if (inserted.numInsertedOrUpdatedRows !== 1n) return false;
    if (!cancelled) {
      for (const [i, line] of lines.entries()) {
        const amount = allocation.parts[i]!;
        if (amount === 0) continue;
        await trx.insertInto('payment_split_parts').values({ split_id: splitId, line_no: line.lineNo, receiver_id: line.receiverId, amount_fen: amount, status: 'pending', fail_reason: null, return_status: null, finished_at: null }).execute();
      }
    }
    await recordSplitLog(trx, {
      merchantId: p.merchant_id,
      event: cancelled ? 'cancelled' : 'calculated',
      paymentId: p.id,
      splitId,
      ruleId,
      amountFen: splitFen,
      detail: cancelled
        ? { reason: p.refunded_fen > 0 ? '分账前已退款，冻结资金全部解冻' : '无适用规则' }
        : { paidFen: p.amount_fen, retainedFen: p.amount_fen - splitFen, capFen: allocation.capFen, clipped: allocation.clipped.map((i) => lines[i]!.receiverId), parts: lines.map((l, i) => ({ receiverId: l.receiverId, amountFen: allocation.parts[i] })) },
      at: now,
    });
    return true;
  });
}

/** Records what the platform says about each receiver; each part moves out of `pending` once (compare-and-set). */
async function applySplitState(deps: Deps, split: { id: string; merchant_id: string; payment_id: string }, state: SplitState): Promise<boolean> {
  const now = deps.clock();
  const parts = await deps.db
    .selectFrom('payment_split_parts')
    .innerJoin('split_receivers', 'split_receivers.id', 'payment_split_parts.receiver_id')
    .select(['payment_split_parts.line_no', 'payment_split_parts.receiver_id', 'payment_split_parts.amount_fen', 'payment_split_parts.status', 'split_receivers.account_type', 'split_receivers.account'])
    .where('payment_split_parts.split_id', '=', split.id)
    .execute();
  let open = 0;
  for (const part of parts) {
    const answer = state.receivers.find((r) => r.type === part.account_type && r.account === part.account);
    if (!answer || answer.result === 'pending') {
      if (part.status === 'pending') open++;
      continue;
    }
    await deps.db.transaction().execute(async (trx) => {
      const done = await trx
        .updateTable('payment_split_parts')
        .set({ status: answer.result === 'success' ? 'success' : 'closed', fail_reason: answer.failReason ?? null, finished_at: now })
        .where('split_id', '=', split.id)
        .where('line_no', '=', part.line_no)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      if (done.numUpdatedRows !== 1n) return;
      await recordSplitLog(trx, { merchantId: split.merchant_id, event: 'result', paymentId: split.payment_id, splitId: split.id, receiverId: part.receiver_id, amountFen: Number(part.amount_fen), status: answer.result, detail: answer.failReason ? { failReason: answer.failReason } : {}, at: now });
      if (answer.result === 'closed') {
        await raiseAlert(trx, { merchantId: split.merchant_id, storeId: null, kind: 'split_failed', subjectId: split.id, message: `分账给 ${part.account} 的 ${formatFen(Number(part.amount_fen))}未成功（${answer.failReason ?? '已关闭'}），资金留在商户`, dedupeKey: `split_failed:${split.id}:${part.line_no}` });
      }
    });
  }
  if (state.state === 'finished' && open === 0) {
    const moved = await deps.db.updateTable('payment_splits').set({ status: 'finished', platform_order_id: state.platformOrderId ?? null, updated_at: now }).where('id', '=', split.id).where('status', '=', 'processing').executeTakeFirst();
    return moved.numUpdatedRows === 1n;
  }
  return false;
}

async function ensureReceivers(deps: Deps, channel: PaymentChannel, lines: RuleLine[]): Promise<void> {
  for (const line of lines) {
    if (line.addedAtPlatform) continue;
    await channel.addSplitReceiver!({ type: line.accountType as SplitReceiverAccount['type'], account: line.account, name: line.name, relation: relationOf[line.kind] ?? 'BRAND' });
    await deps.db.updateTable('split_receivers').set({ added_at_platform_at: deps.clock() }).where('id', '=', line.receiverId).execute();
  }
}

/** Sends a calculated split: claim calculated→processing, call the platform under the fixed out_order_no, apply the answer. */
async function send(deps: Deps, splitId: string): Promise<'requested' | 'failed' | 'not_claimed'> {
  const now = deps.clock();
  // The merchant's own channel (#18), found before the claim: a merchant without a binding leaves its split calculated, unclaimed.
  const owner = await deps.db.selectFrom('payment_splits').select(['merchant_id', 'channel']).where('id', '=', splitId).executeTakeFirst();
  const channel = owner ? await deps.payments.forMerchantIfBound(deps, owner.merchant_id, owner.channel) : undefined;
  if (!channel) return 'not_claimed';
  const claimed = await deps.db
    .updateTable('payment_splits')
    .set((eb) => ({ status: 'processing', attempts: eb('attempts', '+', 1), updated_at: now }))
    .where('id', '=', splitId)
    .where('status', '=', 'calculated')
    .where('attempts', '<', split_attempts_max)
    .returningAll()
    .executeTakeFirst();
  if (!claimed) return 'not_claimed';
  const payment = await deps.db.selectFrom('payments').select(['out_trade_no', 'platform_trade_no']).where('id', '=', claimed.payment_id).executeTakeFirstOrThrow();
  const parts = await deps.db
    .selectFrom('payment_split_parts')
    .innerJoin('split_rule_lines', (j) => j.on('split_rule_lines.rule_id', '=', claimed.rule_id ?? '').onRef('split_rule_lines.line_no', '=', 'payment_split_parts.line_no'))
    .select(['payment_split_parts.amount_fen', 'payment_split_parts.receiver_id', 'split_rule_lines.description'])
    .where('payment_split_parts.split_id', '=', splitId)
    .orderBy('payment_split_parts.line_no')
    .execute();
  const lines = (await ruleLines(deps.db, claimed.rule_id ?? '')).filter((l) => parts.some((p) => p.receiver_id === l.receiverId));
  try {
    if (!channel.requestSplit || !channel.addSplitReceiver) throw new Error(`${claimed.channel} 通道暂不支持分账`);
    await ensureReceivers(deps, channel, lines);
    const request = {
      outTradeNo: payment.out_trade_no,
      platformTradeNo: payment.platform_trade_no ?? '',
      outOrderNo: splitId,
      receivers: parts.map((p) => {
        const line = lines.find((l) => l.receiverId === p.receiver_id)!;
        return { type: line.accountType as SplitReceiverAccount['type'], account: line.account, amountFen: Number(p.amount_fen), description: p.description };
      }),
    };
    await recordSplitLog(deps.db, { merchantId: claimed.merchant_id, event: 'requested', paymentId: claimed.payment_id, splitId, amountFen: Number(claimed.split_fen), detail: { attempt: claimed.attempts, receivers: request.receivers }, at: now });
    const state = await channel.requestSplit(request);
    await applySplitState(deps, claimed, state);
    return 'requested';
  } catch (e) {
    // The platform may or may not have it: the same out_order_no is sent again next time, and the platform answers a repeat with the same split.
    await deps.db.updateTable('payment_splits').set({ status: 'calculated', last_error: errorText(e), updated_at: deps.clock() }).where('id', '=', splitId).where('status', '=', 'processing').execute();
    await recordSplitLog(deps.db, { merchantId: claimed.merchant_id, event: 'request_failed', paymentId: claimed.payment_id, splitId, status: 'error', detail: { error: errorText(e), attempt: claimed.attempts }, at: deps.clock() });
    if (claimed.attempts >= split_attempts_max) {
      await raiseAlert(deps.db, { merchantId: claimed.merchant_id, storeId: claimed.store_id, kind: 'split_failed', subjectId: splitId, message: `支付 ${claimed.payment_id} 分账多次失败：${errorText(e)}`, dedupeKey: `split_stuck:${splitId}` });
    }
    return 'failed';
  }
}

async function unfreeze(deps: Deps, split: { id: string; merchant_id: string; payment_id: string; channel: 'wechat' | 'alipay'; retained_fen: number; paid_fen: number }): Promise<boolean> {
  const payment = await deps.db.selectFrom('payments').select(['platform_trade_no', 'refunded_fen']).where('id', '=', split.payment_id).executeTakeFirstOrThrow();
  const channel = await deps.payments.forMerchant(deps, split.merchant_id, split.channel);
  if (!channel.unfreezeSplit) return false;
  // A trade refunded in full at the platform holds nothing frozen, and Alipay refuses settle calls on a closed trade.
  const refunded = await deps.db.selectFrom('platform_refunds').select((eb) => eb.fn.coalesce(eb.fn.sum<string>('amount_fen'), eb.lit(0)).as('fen')).where('payment_id', '=', split.payment_id).where('status', '=', 'succeeded').executeTakeFirstOrThrow();
  if (Number(refunded.fen) >= split.paid_fen) {
    return deps.db.transaction().execute(async (trx) => {
      const moved = await trx.updateTable('payment_splits').set({ status: 'unfrozen', updated_at: deps.clock() }).where('id', '=', split.id).where('status', '=', 'finished').executeTakeFirst();
      if (moved.numUpdatedRows !== 1n) return false;
      await recordSplitLog(trx, { merchantId: split.merchant_id, event: 'unfreeze', paymentId: split.payment_id, splitId: split.id, amountFen: 0, status: 'nothing_frozen', detail: { reason: '已全额退款，平台上没有冻结资金' }, at: deps.clock() });
      return true;
    });
  }
  const state = await channel.unfreezeSplit({ platformTradeNo: payment.platform_trade_no ?? '', outOrderNo: `${split.id}_U`, description: '解冻剩余资金' });
  return deps.db.transaction().execute(async (trx) => {
    const moved = await trx.updateTable('payment_splits').set({ status: 'unfrozen', updated_at: deps.clock() }).where('id', '=', split.id).where('status', '=', 'finished').executeTakeFirst();
    if (moved.numUpdatedRows !== 1n) return false;
    // WeChat reports what it released; Alipay does not, so it is what was paid less what reached receivers and what was refunded.
    const reported = state.receivers.length > 0;
    const reachedFen = reported ? 0 : (await trx.selectFrom('payment_split_parts').select('amount_fen').where('split_id', '=', split.id).where('status', '=', 'success').execute()).reduce((a, p) => a + Number(p.amount_fen), 0);
    const unfrozenFen = reported ? state.receivers.reduce((a, r) => a + r.amountFen, 0) : Math.max(0, split.paid_fen - reachedFen - Number(payment.refunded_fen));
    await recordSplitLog(trx, { merchantId: split.merchant_id, event: 'unfreeze', paymentId: split.payment_id, splitId: split.id, amountFen: unfrozenFen, status: state.state, detail: { platformOrderId: state.platformOrderId ?? null }, at: deps.clock() });
    return true;
  });
}

/**
 * The split sweep: paid profit-sharing payments at least a minute old are
 * calculated, calculated splits are sent, processing ones are asked about,
 * finished ones have their remainder unfrozen. Every step is a
 * compare-and-set on the split's status, so overlapping runs are harmless.
 * With a merchant named, only that merchant's splits (one queue message's share).
 */
export async function runSplitJobs(deps: Deps, scope: { merchantId?: string } = {}): Promise<SplitJobResult> {
  const { merchantId } = scope;
  const now = deps.clock();
  const result: SplitJobResult = { calculated: 0, requested: 0, finished: 0, unfrozen: 0, failed: 0, returned: 0 };
  const due = await deps.db
    .selectFrom('payments')
    .leftJoin('payment_splits', 'payment_splits.payment_id', 'payments.id')
    .select(['payments.id', 'payments.merchant_id', 'payments.store_id', 'payments.channel', 'payments.amount_fen', 'payments.refunded_fen', 'payments.created_at'])
    .where('payments.profit_sharing', '=', true)
    .where('payments.status', '=', 'succeeded')
    .where('payments.surplus', '=', false)
    .where('payments.succeeded_at', '<=', new Date(now.getTime() - split_after_payment_ms))
    .where('payment_splits.id', 'is', null)
    .$if(merchantId !== undefined, (q) => q.where('payments.merchant_id', '=', merchantId!))
    .orderBy('payments.succeeded_at')
    .limit(split_job_batch_max)
    .execute();
  for (const p of due) {
    try {
      if (await calculate(deps, p)) result.calculated++;
    } catch (e) {
      deps.log.warn('split could not be calculated', { paymentId: p.id, error: errorText(e) });
    }
  }
  const calculated = await deps.db
    .selectFrom('payment_splits')
    .select('id')
    .where('status', '=', 'calculated')
    .where('attempts', '<', split_attempts_max)
    .$if(merchantId !== undefined, (q) => q.where('merchant_id', '=', merchantId!))
    .orderBy('updated_at')
    .limit(split_job_batch_max)
    .execute();
  for (const s of calculated) {
    const outcome = await send(deps, s.id);
    if (outcome === 'requested') result.requested++;
    if (outcome === 'failed') result.failed++;
  }
  const processing = await deps.db.selectFrom('payment_splits').innerJoin('payments', 'payments.id', 'payment_splits.payment_id').select(['payment_splits.id', 'payment_splits.merchant_id', 'payment_splits.payment_id', 'payment_splits.channel', 'payments.platform_trade_no']).where('payment_splits.status', '=', 'processing').$if(merchantId !== undefined, (q) => q.where('payment_splits.merchant_id', '=', merchantId!)).limit(split_job_batch_max).execute();
  for (const s of processing) {
    try {
      const channel = await deps.payments.forMerchant(deps, s.merchant_id, s.channel);
      if (!channel.querySplit) continue;
      if (await applySplitState(deps, s, await channel.querySplit(s.id, s.platform_trade_no ?? ''))) result.finished++;
    } catch (e) {
      deps.log.warn('split query failed', { splitId: s.id, error: errorText(e) });
    }
  }
  const finished = await deps.db.selectFrom('payment_splits').select(['id', 'merchant_id', 'payment_id', 'channel', 'retained_fen', 'paid_fen']).where('status', '=', 'finished').$if(merchantId !== undefined, (q) => q.where('merchant_id', '=', merchantId!)).limit(split_job_batch_max).execute();
  for (const s of finished) {
    try {
      if (await unfreeze(deps, { ...s, retained_fen: Number(s.retained_fen), paid_fen: Number(s.paid_fen) })) result.unfrozen++;
    } catch (e) {
      deps.log.warn('unfreeze failed', { splitId: s.id, error: errorText(e) });
    }
  }
  try {
    result.returned = await settleRoyaltyReturns(deps, merchantId);
  } catch (e) {
    deps.log.warn('split returns could not be settled', { error: errorText(e) });
  }
  return result;
}
