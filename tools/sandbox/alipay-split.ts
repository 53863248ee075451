import { randomInt } from 'node:crypto';
import { Hono } from 'hono';
import { z } from 'zod';
import { beijingTimestamp } from '../../api/_platform/alipay-time';
import { fenToYuan, yuanToFen } from '../../shared/money';
import type { AlipayMethod, AlipayReply } from './alipay-gateway';
import { tradeRefund } from './alipay-pay-methods';
import type { AlipayPaySandbox, SandboxTrade } from './alipay-pay-trades';
import { alipay_amount_pattern, bizOf, failed, invalid, ok, str, user_id_pattern, type Biz } from './alipay-replies';

/**
 * Alipay 商家分账 (royalty) in the sandbox, as gateway methods (the gateway
 * has already checked the request signature):
 *
 * - `alipay.trade.royalty.relation.bind` adds receivers to the 分账关系集;
 * - `alipay.trade.order.settle` splits a paid trade placed with
 *   `extend_params.royalty_freeze`: receivers bound first, each at most once,
 *   ≤ 50 in async mode (5 in sync mode), no sooner than `splitAfterMs` after
 *   payment, together at most 30 % of the trade and never more than is still
 *   frozen on it. `extend_params.royalty_finish` releases the rest; after
 *   that nothing more is split. A repeat of an `out_request_no` with the same
 *   content answers the same settle; with other content it is refused;
 * - `alipay.trade.order.settle.query`: an async split is PROCESSING until
 *   first asked, then each receiver SUCCESS, or FAIL for the accounts in
 *   `failAccounts` (the sandbox's control, like WeChat's);
 * - `alipay.trade.refund` with `refund_royalty_parameters`: the named
 *   receivers give back up to what they received; the merchant's part of a
 *   refund can never take money that was split away and not given back.
 *
 * The sandbox plays only frozen trades (real Alipay can also split a trade
 * that was not frozen, from the merchant's balance).
 *
 * Control: `GET|POST /sandbox/alipay/split-settings`,
 * `GET /sandbox/alipay/splits/:tradeNo` (settles, returns and the frozen,
 * split and returned amounts of one trade).
 */

export const alipay_sandbox_split_cap_bp = 3000;
export const alipay_sandbox_async_receivers_max = 50;
export const alipay_sandbox_sync_receivers_max = 5;

interface RoyaltyDetail {
  transIn: string;
  transInType: string;
  amountFen: number;
  desc: string;
  state: 'PROCESSING' | 'SUCCESS' | 'FAIL';
  detailId: string;
  errorCode?: string;
  errorDesc?: string;
  executedAt?: Date;
}

interface SandboxSettle {
  outRequestNo: string;
  settleNo: string;
  tradeNo: string;
  finish: boolean;
  details: RoyaltyDetail[];
  request: string;
  at: Date;
}

interface RoyaltyReturnRecord {
  outRequestNo: string;
  tradeNo: string;
  transOut: string;
  amountFen: number;
}

export interface AlipaySplitSettings {
  /** How long after payment a split is accepted (Alipay recommends waiting 30 s; the core waits a minute). */
  splitAfterMs: number;
  /** Receivers whose royalty FAILs. */
  failAccounts: string[];
}

const request_no_pattern = /^[A-Za-z0-9_]{1,64}$/;

/** A royalty relation belongs to the merchant that bound it (each authorised merchant has its own 分账关系集). */
function relationKey(sellerId: string, type: string, account: string): string {
  return `${sellerId}:${type}:${account}`;
}

export class AlipaySplits {
  readonly relations = new Map<string, { sellerId: string; type: string; account: string; name?: string }>();
  readonly settles = new Map<string, SandboxSettle>();
  readonly returns: RoyaltyReturnRecord[] = [];
  readonly finished = new Set<string>();
  readonly settings: AlipaySplitSettings = { splitAfterMs: 60_000, failAccounts: [] };

  settlesOf(tradeNo: string): SandboxSettle[] {
    return [...this.settles.values()].filter((s) => s.tradeNo === tradeNo);
  }

  /** Split away from a trade and not failed (in flight counts: it may still succeed). */
  splitOutFen(tradeNo: string): number {
    return this.settlesOf(tradeNo).reduce((sum, s) => sum + s.details.filter((d) => d.state !== 'FAIL').reduce((a, d) => a + d.amountFen, 0), 0);
  }

  receivedFen(tradeNo: string, account: string): number {
    return this.settlesOf(tradeNo).reduce((sum, s) => sum + s.details.filter((d) => d.state === 'SUCCESS' && d.transIn === account).reduce((a, d) => a + d.amountFen, 0), 0);
  }

  returnedFen(tradeNo: string, account?: string): number {
    return this.returns.filter((r) => r.tradeNo === tradeNo && (account === undefined || r.transOut === account)).reduce((a, r) => a + r.amountFen, 0);
  }

  /** What the merchant holds of a trade: paid, less split away, plus given back, less refunded. */
  merchantHeldFen(trade: SandboxTrade, refundedFen: number): number {
    return trade.totalFen - this.splitOutFen(trade.tradeNo) + this.returnedFen(trade.tradeNo) - refundedFen;
  }

  /** Still frozen for royalty: nothing once finished or for a trade not frozen; else what the merchant holds. */
  frozenFen(trade: SandboxTrade, refundedFen: number): number {
    if (!trade.royaltyFreeze || this.finished.has(trade.tradeNo)) return 0;
    return Math.max(0, this.merchantHeldFen(trade, refundedFen));
  }
}

const state = new WeakMap<AlipayPaySandbox, AlipaySplits>();

/** The royalty state that goes with one Alipay sandbox. */
export function alipaySplitsOf(pay: AlipayPaySandbox): AlipaySplits {
  let splits = state.get(pay);
  if (!splits) {
    splits = new AlipaySplits();
    state.set(pay, splits);
  }
  return splits;
}

function amountFen(value: unknown): number | undefined {
  if (typeof value !== 'string' || !alipay_amount_pattern.test(value)) return undefined;
  const fen = yuanToFen(value);
  return fen >= 1 ? fen : undefined;
}

function accountFits(type: string, account: string): boolean {
  if (type === 'userId') return user_id_pattern.test(account);
  return (type === 'loginName' || type === 'openId') && account.length >= 1 && account.length <= 128;
}

export const royaltyRelationBind: AlipayMethod = (request) => {
  const biz = bizOf(request);
  if (!biz) return invalid('biz_content 不是 JSON 对象');
  const outRequestNo = str(biz, 'out_request_no');
  if (!outRequestNo || outRequestNo.length > 64) return invalid('out_request_no');
  const list = biz['receiver_list'];
  if (!Array.isArray(list) || list.length === 0) return invalid('receiver_list');
  const splits = alipaySplitsOf(request.pay);
  const sellerId = request.seller.sellerId;
  const parsed: { sellerId: string; type: string; account: string; name?: string }[] = [];
  for (const item of list as Biz[]) {
    const type = typeof item === 'object' && item !== null ? str(item, 'type') : undefined;
    const account = typeof item === 'object' && item !== null ? str(item, 'account') : undefined;
    if (!type || !account || !accountFits(type, account)) return invalid('receiver_list 中的 type/account');
    const name = str(item, 'name');
    parsed.push({ sellerId, type, account, ...(name ? { name } : {}) });
  }
  for (const r of parsed) splits.relations.set(relationKey(sellerId, r.type, r.account), r);
  return ok({ result_code: 'SUCCESS' });
};

function settleAnswer(s: SandboxSettle): AlipayReply {
  return ok({ trade_no: s.tradeNo, settle_no: s.settleNo });
}

export const orderSettle: AlipayMethod = (request) => {
  const biz = bizOf(request);
  if (!biz) return invalid('biz_content 不是 JSON 对象');
  const { pay } = request;
  const splits = alipaySplitsOf(pay);
  const outRequestNo = str(biz, 'out_request_no');
  const tradeNo = str(biz, 'trade_no');
  if (!outRequestNo || !request_no_pattern.test(outRequestNo)) return invalid('out_request_no');
  if (!tradeNo) return invalid('trade_no');
  const canonical = JSON.stringify(biz);
  const key = `${tradeNo}:${outRequestNo}`;
  const existing = splits.settles.get(key);
  if (existing) return existing.request === canonical ? settleAnswer(existing) : invalid('out_request_no 已使用，且与原请求参数不一致');

  const trade = pay.byTradeNo(tradeNo);
  if (!trade || trade.sellerId !== request.seller.sellerId) return failed('ACQ.TRADE_NOT_EXIST', '交易不存在');
  pay.settle(trade, false);
  if (trade.status !== 'TRADE_SUCCESS' && trade.status !== 'TRADE_FINISHED') return failed('ACQ.TRADE_STATUS_ERROR', '交易状态不合法（未支付或已全额退款）');
  if (!trade.royaltyFreeze) return failed('ACQ.TRADE_STATUS_ERROR', '该交易下单时未冻结分账资金（沙箱只演示冻结的交易）');
  if (splits.finished.has(tradeNo)) return failed('ACQ.TRADE_STATUS_ERROR', '该交易分账已完结，剩余资金已解冻');
  if (pay.now() - (trade.paidAt?.getTime() ?? 0) < splits.settings.splitAfterMs) return failed('ACQ.TRADE_STATUS_ERROR', '交易处理中，请在支付成功一段时间后再分账');

  const extend = biz['extend_params'];
  const finish = typeof extend === 'object' && extend !== null && (extend as Biz)['royalty_finish'] === 'true';
  const mode = str(biz, 'royalty_mode') ?? 'sync';
  if (mode !== 'sync' && mode !== 'async') return invalid('royalty_mode');
  const raw = biz['royalty_parameters'];
  const params = raw === undefined ? [] : raw;
  if (!Array.isArray(params)) return invalid('royalty_parameters');
  if (params.length === 0 && !finish) return invalid('royalty_parameters 为空时须传 royalty_finish=true');
  const receiversMax = mode === 'async' ? alipay_sandbox_async_receivers_max : alipay_sandbox_sync_receivers_max;
  if (params.length > receiversMax) return invalid(`${mode} 模式一次最多 ${receiversMax} 个分账收入方`);

  const details: RoyaltyDetail[] = [];
  const seen = new Set<string>();
  for (const p of params as Biz[]) {
    if (typeof p !== 'object' || p === null) return invalid('royalty_parameters');
    if ((str(p, 'royalty_type') ?? 'transfer') !== 'transfer') return invalid('royalty_type (the sandbox plays transfer)');
    const transInType = str(p, 'trans_in_type') ?? 'userId';
    const transIn = str(p, 'trans_in');
    const fen = amountFen(p['amount']);
    if (!transIn || !accountFits(transInType, transIn)) return invalid('trans_in / trans_in_type');
    if (fen === undefined) return invalid('amount (0.01 以上，最多两位小数)');
    if (seen.has(transIn)) return invalid(`分账收入方 ${transIn} 重复`);
    seen.add(transIn);
    if (!splits.relations.has(relationKey(trade.sellerId, transInType, transIn))) return failed('ACQ.INVALID_PARAMETER', `分账收入方 ${transIn} 不在分账关系集中，请先绑定分账关系`);
    details.push({ transIn, transInType, amountFen: fen, desc: str(p, 'desc') ?? '', state: 'PROCESSING', detailId: `${Date.now()}${String(randomInt(1e9)).padStart(9, '0')}` });
  }
  const askedFen = details.reduce((a, d) => a + d.amountFen, 0);
  const refundedFen = pay.refundedFen(trade);
  if (splits.splitOutFen(tradeNo) + askedFen > Math.floor((trade.totalFen * alipay_sandbox_split_cap_bp) / 10_000)) return failed('ACQ.INVALID_PARAMETER', '分账金额超过最大分账比例');
  if (askedFen > splits.frozenFen(trade, refundedFen)) return failed('ACQ.INVALID_PARAMETER', '分账金额超过交易剩余冻结金额');

  const at = new Date(pay.now());
  if (mode === 'sync') {
    // Sync mode is all or nothing.
    const anyFails = details.some((d) => splits.settings.failAccounts.includes(d.transIn));
    for (const d of details) settleDetail(d, anyFails ? 'FAIL' : 'SUCCESS', at);
  }
  const settle: SandboxSettle = { outRequestNo, settleNo: `${beijingTimestamp(at).replace(/\D/g, '')}${String(randomInt(1e9)).padStart(9, '0')}`, tradeNo, finish, details, request: canonical, at };
  splits.settles.set(key, settle);
  if (finish) splits.finished.add(tradeNo);
  return settleAnswer(settle);
};

function settleDetail(d: RoyaltyDetail, result: 'SUCCESS' | 'FAIL', at: Date): void {
  d.state = result;
  d.executedAt = at;
  if (result === 'FAIL') {
    d.errorCode = 'SANDBOX_FAIL_ACCOUNT';
    d.errorDesc = '沙箱设定该收入方分账失败';
  }
}

function detailView(d: RoyaltyDetail, sellerId: string): Record<string, unknown> {
  return {
    operation_type: 'transfer',
    ...(d.executedAt ? { execute_dt: beijingTimestamp(d.executedAt) } : {}),
    trans_out: sellerId,
    trans_out_type: 'userId',
    trans_in: d.transIn,
    trans_in_type: d.transInType,
    amount: fenToYuan(d.amountFen),
    state: d.state,
    detail_id: d.detailId,
    ...(d.errorCode ? { error_code: d.errorCode, error_desc: d.errorDesc } : {}),
  };
}

export const orderSettleQuery: AlipayMethod = (request) => {
  const biz = bizOf(request);
  if (!biz) return invalid('biz_content 不是 JSON 对象');
  const { pay } = request;
  const splits = alipaySplitsOf(pay);
  const settleNo = str(biz, 'settle_no');
  const outRequestNo = str(biz, 'out_request_no');
  const tradeNo = str(biz, 'trade_no');
  if (!settleNo && !(outRequestNo && tradeNo)) return invalid('settle_no 或 out_request_no + trade_no');
  const settle = settleNo ? [...splits.settles.values()].find((s) => s.settleNo === settleNo) : splits.settles.get(`${tradeNo}:${outRequestNo}`);
  const sellerId = request.seller.sellerId;
  if (!settle || pay.byTradeNo(settle.tradeNo)?.sellerId !== sellerId) return failed('ACQ.TRADE_NOT_EXIST', '分账单不存在');
  const at = new Date(pay.now());
  for (const d of settle.details) if (d.state === 'PROCESSING') settleDetail(d, splits.settings.failAccounts.includes(d.transIn) ? 'FAIL' : 'SUCCESS', at);
  return ok({ out_request_no: settle.outRequestNo, settle_no: settle.settleNo, operation_dt: beijingTimestamp(settle.at), royalty_detail_list: settle.details.map((d) => detailView(d, sellerId)) });
};

/** `alipay.trade.refund` with royalty: checks and records `refund_royalty_parameters`, and keeps the merchant from refunding split money. */
export const tradeRefundWithRoyalty: AlipayMethod = (request) => {
  const biz = bizOf(request);
  if (!biz) return tradeRefund(request);
  const { pay } = request;
  const splits = alipaySplitsOf(pay);
  const outTradeNo = str(biz, 'out_trade_no');
  const byTradeNo = str(biz, 'trade_no');
  const found = outTradeNo ? pay.trades.get(outTradeNo) : byTradeNo ? pay.byTradeNo(byTradeNo) : undefined;
  const trade = found?.sellerId === request.seller.sellerId ? found : undefined;
  const refundFen = amountFen(biz['refund_amount']);
  if (!trade || refundFen === undefined) return tradeRefund(request);
  const outRequestNo = str(biz, 'out_request_no') ?? trade.outTradeNo;
  // A repeat, or a refund past what is left, is answered by the refund method alone (never executed twice, its own refusal).
  if (trade.refunds.some((r) => r.outRequestNo === outRequestNo) || refundFen > trade.totalFen - pay.refundedFen(trade)) return tradeRefund(request);

  const raw = biz['refund_royalty_parameters'];
  const returns: RoyaltyReturnRecord[] = [];
  if (raw !== undefined) {
    if (!Array.isArray(raw)) return invalid('refund_royalty_parameters');
    for (const p of raw as Biz[]) {
      if (typeof p !== 'object' || p === null) return invalid('refund_royalty_parameters');
      const transOut = str(p, 'trans_out');
      const fen = amountFen(p['amount']);
      if (!transOut || !accountFits(str(p, 'trans_out_type') ?? 'userId', transOut)) return invalid('trans_out / trans_out_type');
      if (fen === undefined) return invalid('refund_royalty_parameters.amount');
      const open = splits.receivedFen(trade.tradeNo, transOut) - splits.returnedFen(trade.tradeNo, transOut) - returns.filter((r) => r.transOut === transOut).reduce((a, r) => a + r.amountFen, 0);
      if (fen > open) return failed('ACQ.INVALID_PARAMETER', `退分账金额超过 ${transOut} 的已分账金额`);
      returns.push({ outRequestNo, tradeNo: trade.tradeNo, transOut, amountFen: fen });
    }
  }
  const royaltyFen = returns.reduce((a, r) => a + r.amountFen, 0);
  if (royaltyFen > refundFen) return invalid('退分账金额超过退款金额');
  if (trade.status === 'TRADE_SUCCESS' && refundFen - royaltyFen > splits.merchantHeldFen(trade, pay.refundedFen(trade))) return failed('ACQ.SELLER_BALANCE_NOT_ENOUGH', '卖家余额不足（已分出的资金须随退款退回）');
  const answer = tradeRefund(request);
  if (answer.payload['code'] === '10000' && answer.payload['fund_change'] === 'Y') splits.returns.push(...returns);
  return answer;
};

/** The methods this file adds to the gateway's table (the refund one replaces the plain refund). */
export const alipaySplitMethods: Record<string, AlipayMethod> = {
  'alipay.trade.royalty.relation.bind': royaltyRelationBind,
  'alipay.trade.order.settle': orderSettle,
  'alipay.trade.order.settle.query': orderSettleQuery,
  'alipay.trade.refund': tradeRefundWithRoyalty,
};

const settingsSchema = z.strictObject({ splitAfterMs: z.number().int().min(0).max(600_000), failAccounts: z.array(z.string().max(128)).max(100) }).partial();

export function alipaySplitRoutes(pay: AlipayPaySandbox): Hono {
  const app = new Hono();
  const splits = alipaySplitsOf(pay);
  app.get('/sandbox/alipay/split-settings', (c) => c.json(splits.settings));
  app.post('/sandbox/alipay/split-settings', async (c) => {
    const parsed = settingsSchema.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return c.json({ error: z.prettifyError(parsed.error) }, 400);
    Object.assign(splits.settings, parsed.data);
    return c.json(splits.settings);
  });
  app.get('/sandbox/alipay/splits/:tradeNo', (c) => {
    const tradeNo = c.req.param('tradeNo');
    const trade = pay.byTradeNo(tradeNo);
    if (!trade) return c.json({ error: 'no such trade' }, 404);
    const refundedFen = pay.refundedFen(trade);
    return c.json({
      royaltyFreeze: trade.royaltyFreeze,
      finished: splits.finished.has(tradeNo),
      frozenFen: splits.frozenFen(trade, refundedFen),
      splitOutFen: splits.splitOutFen(tradeNo),
      returnedFen: splits.returnedFen(tradeNo),
      refundedFen,
      merchantHeldFen: splits.merchantHeldFen(trade, refundedFen),
      relations: [...splits.relations.values()].filter((r) => r.sellerId === trade.sellerId),
      settles: splits.settlesOf(tradeNo).map((s) => ({ outRequestNo: s.outRequestNo, settleNo: s.settleNo, finish: s.finish, details: s.details.map((d) => detailView(d, trade.sellerId)) })),
      returns: splits.returns.filter((r) => r.tradeNo === tradeNo),
    });
  });
  return app;
}
