import type { Deps } from '../_kernel/deps.js';
import type { MemberPrincipal } from '../_kernel/context.js';
import { AppError } from '../_kernel/errors.js';
import { requestHash } from '../_kernel/idempotency.js';
import type { TopUpPaymentResponse } from '../../shared/api/stored-value.js';
import { shopTopUp } from '../_stored-value/index.js';
import { refreshPayment, toPaymentView } from './attempts.service.js';
import { paymentChannelFor } from './merchant-channel.js';
import { recordPaymentEvent } from './events.js';
import { notifyUrl } from './notify-url.js';
import { order_payment_attempts_max } from './limits.js';

/** How long a shopper has to finish paying a top-up on the platform's sheet. */
const top_up_payment_window_ms = 15 * 60_000;

async function answer(deps: Deps, member: MemberPrincipal, topUpId: string, paymentId: string, replayed: boolean): Promise<TopUpPaymentResponse> {
  const p = await deps.db.selectFrom('payments').selectAll().where('id', '=', paymentId).executeTakeFirstOrThrow();
  return { ...(await shopTopUp(deps.db, member, topUpId)), payment: toPaymentView(p, deps.clock()), replayed };
}

/**
 * A shopper pays a stored-value top-up (#17) with WeChat Pay or Alipay: one
 * payment attempt, as for an open order, whose amount is the top-up's (the
 * plan's, set by the server), on the channel the top-up was opened for. It is
 * settled by the same verified notification or query as an order's payment
 * (settle.ts), which credits the top-up once. The client's payment id makes a
 * retry find the same attempt.
 */
export async function startTopUpPayment(deps: Deps, member: MemberPrincipal, topUpId: string, clientPaymentId: string): Promise<TopUpPaymentResponse> {
  const t = await deps.db.selectFrom('stored_value_top_ups').selectAll().where('id', '=', topUpId).where('merchant_id', '=', member.merchantId).executeTakeFirst();
  if (!t || t.member_id !== member.memberId) throw new AppError('not_found', `找不到充值 ${topUpId}`);
  if (t.method !== 'wechat' && t.method !== 'alipay') throw new AppError('invalid_state', '这笔充值已在收银台收款');
  const hash = requestHash({ topUpId, channel: t.method });
  const existing = await deps.db.selectFrom('payments').select(['id', 'merchant_id', 'request_hash']).where('id', '=', clientPaymentId).executeTakeFirst();
  if (existing) {
    if (existing.merchant_id !== member.merchantId || existing.request_hash !== hash) throw new AppError('idempotency_mismatch', `支付号 ${clientPaymentId} 已用于另一笔支付`);
    return answer(deps, member, topUpId, clientPaymentId, true);
  }
  if (t.status !== 'pending') throw new AppError('conflict', t.status === 'credited' ? '这笔充值已到账' : '这笔充值已失效，请重新充值');
  const attempts = await deps.db.selectFrom('payments').select(['status']).where('top_up_id', '=', topUpId).execute();
  if (attempts.some((a) => a.status === 'succeeded')) throw new AppError('conflict', '这笔充值已支付');
  if (attempts.length >= order_payment_attempts_max) throw new AppError('conflict', `这笔充值已尝试支付 ${attempts.length} 次，达到上限（order_payment_attempts_max = ${order_payment_attempts_max}），请重新充值`);
  const m = await deps.db.selectFrom('members').select(['wechat_openid', 'alipay_user_id']).where('id', '=', member.memberId).executeTakeFirstOrThrow();
  const payerId = t.method === 'wechat' ? m.wechat_openid : m.alipay_user_id;
  if (!payerId) throw new AppError('validation_failed', t.method === 'wechat' ? '请在微信里打开小程序充值' : '请在支付宝里打开小程序充值');
  const merchant = await deps.db.selectFrom('merchants').select('name').where('id', '=', member.merchantId).executeTakeFirstOrThrow();
  const channel = await paymentChannelFor(deps, member.merchantId, t.method);
  const now = deps.clock();
  const inserted = await deps.db
    .insertInto('payments')
    .values({
      id: clientPaymentId,
      merchant_id: member.merchantId,
      store_id: t.store_id,
      order_id: null,
      top_up_id: t.id,
      channel: t.method,
      mode: 'jsapi',
      out_trade_no: clientPaymentId,
      amount_fen: Number(t.pay_fen),
      status: 'pending',
      request_hash: hash,
      payer_id: payerId,
      profit_sharing: false,
      created_by: member.memberId,
      created_at: now,
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .returningAll()
    .executeTakeFirst();
  if (!inserted) return startTopUpPayment(deps, member, topUpId, clientPaymentId);
  await recordPaymentEvent(deps.db, { merchantId: member.merchantId, paymentId: inserted.id, event: 'created', source: 'jsapi', actorId: member.memberId, detail: { amountFen: inserted.amount_fen, topUpId: t.id } });
  try {
    const params = await channel.createJsapi(
      { outTradeNo: inserted.out_trade_no, amountFen: inserted.amount_fen, description: `${merchant.name}-储值充值`.slice(0, 40), expiresAt: new Date(now.getTime() + top_up_payment_window_ms), notifyUrl: notifyUrl(deps, t.method), profitSharing: false },
      payerId,
    );
    await deps.db.updateTable('payments').set({ jsapi: JSON.stringify(params) }).where('id', '=', inserted.id).execute();
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    await deps.db.updateTable('payments').set({ status: 'failed', failure_code: 'platform_error', failure_message: message.slice(0, 200), closed_at: deps.clock() }).where('id', '=', inserted.id).where('status', '=', 'pending').execute();
    await recordPaymentEvent(deps.db, { merchantId: member.merchantId, paymentId: inserted.id, event: 'failed', source: 'jsapi', detail: { error: message } });
    throw new AppError('platform_error', `${t.method === 'wechat' ? '微信支付' : '支付宝'}下单失败：${message}`);
  }
  return answer(deps, member, topUpId, inserted.id, false);
}

/** The shopper's page polls its top-up; a payment still pending is asked about when it is worth asking, as for an order. */
export async function pollTopUp(deps: Deps, member: MemberPrincipal, topUpId: string) {
  const latest = await deps.db.selectFrom('payments').select(['id', 'status']).where('top_up_id', '=', topUpId).where('merchant_id', '=', member.merchantId).orderBy('created_at', 'desc').limit(1).executeTakeFirst();
  const top = await shopTopUp(deps.db, member, topUpId);
  if (latest?.status === 'pending' && top.topUp.status === 'pending') await refreshPayment(deps, latest.id);
  return shopTopUp(deps.db, member, topUpId);
}
