import type { Selectable } from 'kysely';
import type { DB } from '../_db/schema.js';
import type { Deps } from '../_kernel/deps.js';
import type { MemberPrincipal, StaffPrincipal } from '../_kernel/context.js';
import { AppError } from '../_kernel/errors.js';
import { requestHash } from '../_kernel/idempotency.js';
import { assertStoreAccess } from '../_identity/index.js';
import { orderViewById } from '../_sales/index.js';
import type { CounterPaymentRequest, PaymentResponse, PaymentView, ShopPaymentRequest } from '../../shared/api/payments.js';
import { channelOfAuthCode, type ChannelName, type JsapiParams, type PaymentMode } from './channel.js';
import { applyTrade } from './settle.js';
import { paymentChannelFor } from './merchant-channel.js';
import { recordPaymentEvent } from './events.js';
import { bookEnded, endAtPlatform } from './end-attempt.js';
import { notifyUrl } from './notify-url.js';
import { splitsPaymentsOn } from '../_split/index.js';
import { code_payment_wait_ms_max, order_payment_attempts_max, payment_query_interval_ms_min } from './limits.js';

type PaymentRow = Selectable<DB['payments']>;

export function toPaymentView(p: PaymentRow, now: Date): PaymentView {
  const waited = p.status === 'pending' && p.mode === 'code' ? now.getTime() - p.created_at.getTime() : 0;
  return {
    id: p.id,
    orderId: p.order_id,
    channel: p.channel,
    mode: p.mode,
    status: p.status,
    amountFen: p.amount_fen,
    codeUrl: p.code_url,
    jsapi: (p.jsapi ?? null) as JsapiParams | null,
    failure: p.failure_code ? { code: p.failure_code, message: p.failure_message ?? '' } : null,
    waitedMs: Math.max(0, waited),
    waitMaxMs: code_payment_wait_ms_max,
    createdAt: p.created_at.toISOString(),
  };
}

interface Attempt {
  merchantId: string;
  orderId: string;
  paymentId: string;
  channel: ChannelName;
  mode: PaymentMode;
  actorId: string | null;
  authCode?: string;
  payerId?: string;
  hash: string;
}

async function respond(deps: Deps, p: PaymentRow, replayed: boolean): Promise<PaymentResponse> {
  // A stored-value top-up's payment (#17) is answered by its own route, with its top-up.
  if (p.order_id === null) throw new AppError('not_found', `支付 ${p.id} 不是订单的支付`);
  return { payment: toPaymentView(p, deps.clock()), order: await orderViewById(deps.db, p.merchant_id, p.order_id), replayed };
}

async function reload(deps: Deps, id: string): Promise<PaymentRow> {
  return deps.db.selectFrom('payments').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/**
 * One payment attempt for an open order. The amount is the order's total as
 * the server priced it, never a number from the client. The attempt's id is
 * its out_trade_no, so a retried request finds the same attempt (a repeat
 * with other content is refused) and a new code is a new attempt.
 */
async function startAttempt(deps: Deps, a: Attempt): Promise<PaymentResponse> {
  const existing = await deps.db.selectFrom('payments').selectAll().where('id', '=', a.paymentId).executeTakeFirst();
  if (existing) {
    if (existing.merchant_id !== a.merchantId || existing.request_hash !== a.hash) throw new AppError('idempotency_mismatch', `支付号 ${a.paymentId} 已用于另一笔支付`);
    return respond(deps, existing, true);
  }
  const now = deps.clock();
  const order = await deps.db.selectFrom('orders').select(['id', 'store_id', 'status', 'total_fen', 'stored_value_fen', 'expires_at', 'merchant_id']).where('id', '=', a.orderId).where('merchant_id', '=', a.merchantId).executeTakeFirst();
  if (!order) throw new AppError('not_found', `找不到订单 ${a.orderId}`);
  if (order.status !== 'open') throw new AppError('conflict', order.status === 'paid' ? '订单已支付' : `订单状态为 ${order.status}，不能支付`);
  if (order.expires_at && order.expires_at <= now) throw new AppError('conflict', '订单已超时，请重新下单');
  const attempts = await deps.db.selectFrom('payments').select(['status']).where('order_id', '=', order.id).execute();
  if (attempts.some((x) => x.status === 'succeeded')) throw new AppError('conflict', '订单已支付');
  if (attempts.length >= order_payment_attempts_max) throw new AppError('conflict', `这笔订单已尝试支付 ${attempts.length} 次，达到上限（order_payment_attempts_max = ${order_payment_attempts_max}），请重新下单`);
  const store = await deps.db.selectFrom('stores').innerJoin('merchants', 'merchants.id', 'stores.merchant_id').select(['stores.code', 'merchants.name']).where('stores.id', '=', order.store_id).executeTakeFirstOrThrow();
  // A split rule in force for this store and channel places the payment for profit sharing (its funds stay frozen until
  // split), only on a channel whose adapter can split and unfreeze: otherwise the money would stay frozen.
  // The merchant's own channel (#18), found before any row is written: a merchant with no binding takes no platform payment.
  const channel = await paymentChannelFor(deps, a.merchantId, a.channel);
  const profitSharing = Boolean(channel.requestSplit && channel.unfreezeSplit) && (await splitsPaymentsOn(deps.db, a.merchantId, order.store_id, a.channel, now));

  const inserted = await deps.db
    .insertInto('payments')
    .values({
      id: a.paymentId,
      merchant_id: a.merchantId,
      store_id: order.store_id,
      order_id: order.id,
      channel: a.channel,
      mode: a.mode,
      out_trade_no: a.paymentId,
      // Only what stored value did not already pay (#17): the server's own numbers, never the client's.
      amount_fen: order.total_fen - order.stored_value_fen,
      status: 'pending',
      request_hash: a.hash,
      payer_id: a.payerId ?? null,
      profit_sharing: profitSharing,
      created_by: a.actorId,
      created_at: now,
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .returningAll()
    .executeTakeFirst();
  if (!inserted) return startAttempt(deps, a);
  await recordPaymentEvent(deps.db, { merchantId: a.merchantId, paymentId: inserted.id, event: 'created', source: a.mode, actorId: a.actorId, detail: { amountFen: inserted.amount_fen } });

  const trade = {
    outTradeNo: inserted.out_trade_no,
    amountFen: inserted.amount_fen,
    description: `${store.name}-${store.code}`.slice(0, 40),
    expiresAt: order.expires_at ?? new Date(now.getTime() + 15 * 60_000),
    notifyUrl: notifyUrl(deps, a.channel),
    profitSharing: inserted.profit_sharing,
  };
  if (a.mode === 'code') {
    let state;
    try {
      state = await channel.payWithCode({ outTradeNo: trade.outTradeNo, amountFen: trade.amountFen, description: trade.description, profitSharing: trade.profitSharing }, a.authCode!);
    } catch (e) {
      // The customer's money may or may not have moved: the counter keeps asking, never assumes.
      deps.log.warn('code payment call failed; querying later', { paymentId: inserted.id, error: e instanceof Error ? e.message : String(e) });
      return respond(deps, await reload(deps, inserted.id), false);
    }
    await applyTrade(deps, channel, state, 'code');
    return respond(deps, await reload(deps, inserted.id), false);
  }
  try {
    if (a.mode === 'qr') {
      const { codeUrl } = await channel.createQr(trade);
      await deps.db.updateTable('payments').set({ code_url: codeUrl }).where('id', '=', inserted.id).execute();
    } else {
      const params = await channel.createJsapi(trade, a.payerId!);
      await deps.db.updateTable('payments').set({ jsapi: JSON.stringify(params) }).where('id', '=', inserted.id).execute();
    }
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    await deps.db.updateTable('payments').set({ status: 'failed', failure_code: 'platform_error', failure_message: message.slice(0, 200), closed_at: deps.clock() }).where('id', '=', inserted.id).where('status', '=', 'pending').execute();
    await recordPaymentEvent(deps.db, { merchantId: a.merchantId, paymentId: inserted.id, event: 'failed', source: a.mode, detail: { error: message } });
    throw new AppError('platform_error', `${a.channel === 'wechat' ? '微信支付' : '支付宝'}下单失败：${message}`);
  }
  return respond(deps, await reload(deps, inserted.id), false);
}

export async function startCounterPayment(deps: Deps, staff: StaffPrincipal, orderId: string, input: CounterPaymentRequest): Promise<PaymentResponse> {
  const order = await deps.db.selectFrom('orders').select(['store_id']).where('id', '=', orderId).where('merchant_id', '=', staff.merchantId).executeTakeFirst();
  if (!order) throw new AppError('not_found', `找不到订单 ${orderId}`);
  await assertStoreAccess(deps.db, staff, order.store_id);
  let channel: ChannelName;
  if (input.mode === 'code') {
    const found = channelOfAuthCode(input.authCode);
    if (!found) throw new AppError('validation_failed', '无法识别的付款码：微信付款码以 10–15 开头，支付宝以 25–30 开头');
    channel = found;
  } else channel = input.channel;
  // The code itself is a bearer secret for a few minutes: hash it, never store it.
  const hash = requestHash({ orderId, mode: input.mode, channel, authCode: input.mode === 'code' ? input.authCode : null });
  return startAttempt(deps, { merchantId: staff.merchantId, orderId, paymentId: input.clientPaymentId, channel, mode: input.mode, actorId: staff.staffId, hash, ...(input.mode === 'code' ? { authCode: input.authCode } : {}) });
}

export async function startShopPayment(deps: Deps, member: MemberPrincipal, orderId: string, input: ShopPaymentRequest): Promise<PaymentResponse> {
  const order = await deps.db.selectFrom('orders').select(['member_id']).where('id', '=', orderId).where('merchant_id', '=', member.merchantId).executeTakeFirst();
  if (!order || order.member_id !== member.memberId) throw new AppError('not_found', `找不到订单 ${orderId}`);
  const m = await deps.db.selectFrom('members').select(['wechat_openid', 'alipay_user_id']).where('id', '=', member.memberId).executeTakeFirstOrThrow();
  const payerId = input.channel === 'wechat' ? m.wechat_openid : m.alipay_user_id;
  if (!payerId) throw new AppError('validation_failed', input.channel === 'wechat' ? '请在微信里打开小程序支付' : '请在支付宝里打开小程序支付');
  const hash = requestHash({ orderId, mode: 'jsapi', channel: input.channel });
  return startAttempt(deps, { merchantId: member.merchantId, orderId, paymentId: input.clientPaymentId, channel: input.channel, mode: 'jsapi', actorId: member.memberId, payerId, hash });
}

/**
 * What the counter or the shopper's page polls. A pending payment is asked
 * about at the platform at most every few seconds however often clients
 * poll (a claim by compare-and-set on the last query time); a payment code
 * still unconfirmed after the wait limit is reversed.
 */
export async function refreshPayment(deps: Deps, paymentId: string): Promise<PaymentRow> {
  const p = await reload(deps, paymentId);
  if (p.status !== 'pending') return p;
  const now = deps.clock();
  const since = new Date(now.getTime() - payment_query_interval_ms_min);
  const claimed = await deps.db
    .updateTable('payments')
    .set({ last_query_at: now, queries: p.queries + 1 })
    .where('id', '=', p.id)
    .where('status', '=', 'pending')
    .where((eb) => eb.or([eb('last_query_at', 'is', null), eb('last_query_at', '<=', since)]))
    .executeTakeFirst();
  if (claimed.numUpdatedRows !== 1n) return p;
  const channel = await paymentChannelFor(deps, p.merchant_id, p.channel);
  try {
    const state = await channel.query(p.out_trade_no);
    await applyTrade(deps, channel, state, 'query');
    const after = await reload(deps, p.id);
    if (after.status === 'pending' && p.mode === 'code' && now.getTime() - p.created_at.getTime() >= code_payment_wait_ms_max) {
      // A reversal is final: if the customer paid in the meantime the platform
      // gives the money back, so the payment is closed, not re-read by a query.
      await endAtPlatform(deps, channel, p, { source: 'timeout', detail: { waitedMs: now.getTime() - p.created_at.getTime() } });
      await bookEnded(deps, channel, p, { code: 'REVERSED', message: '等待超时，已撤销' });
    }
  } catch (e) {
    deps.log.warn('payment query failed', { paymentId: p.id, error: e instanceof Error ? e.message : String(e) });
  }
  return reload(deps, p.id);
}

export async function pollPaymentForStaff(deps: Deps, staff: StaffPrincipal, paymentId: string): Promise<PaymentResponse> {
  const p = await deps.db.selectFrom('payments').select(['id', 'store_id']).where('id', '=', paymentId).where('merchant_id', '=', staff.merchantId).executeTakeFirst();
  if (!p) throw new AppError('not_found', `找不到支付 ${paymentId}`);
  await assertStoreAccess(deps.db, staff, p.store_id);
  return respond(deps, await refreshPayment(deps, paymentId), true);
}

export async function pollPaymentForMember(deps: Deps, member: MemberPrincipal, paymentId: string): Promise<PaymentResponse> {
  const p = await deps.db
    .selectFrom('payments')
    .innerJoin('orders', 'orders.id', 'payments.order_id')
    .select(['payments.id', 'orders.member_id'])
    .where('payments.id', '=', paymentId)
    .where('payments.merchant_id', '=', member.merchantId)
    .executeTakeFirst();
  if (!p || p.member_id !== member.memberId) throw new AppError('not_found', `找不到支付 ${paymentId}`);
  return respond(deps, await refreshPayment(deps, paymentId), true);
}
