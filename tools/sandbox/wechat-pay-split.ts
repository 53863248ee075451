import { constants, privateDecrypt, type KeyObject } from 'node:crypto';
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import type { Refusal, WechatTrades } from './wechat-pay-trades';

/**
 * WeChat Pay profit sharing (分账) in the sandbox, at the real paths: add a
 * receiver (name decrypted with the platform key), split a paid trade that
 * was placed with `settle_info.profit_sharing`, query it (a PROCESSING split
 * finishes when first queried), return from a merchant receiver, unfreeze
 * the rest. The platform's rules: at least `splitAfterMs` after payment, at
 * most 30 % of the trade, each receiver once, ≤ 50 receivers, receivers
 * added first; a refund cannot take money that was split away and not
 * returned. Accounts listed in `failAccounts` get CLOSED / FAILED results.
 */

export const wechat_split_cap_bp = 3000;
export const wechat_split_receivers_max = 50;

export interface SplitSandboxSettings {
  /** How long after payment a split is accepted (the platform: 1 minute). */
  splitAfterMs: number;
  /** Receivers whose split is CLOSED (ACCOUNT_ABNORMAL) and whose return FAILS. */
  failAccounts: string[];
}

interface SandboxSplitReceiver {
  type: string;
  account: string;
  amount: number;
  description: string;
  result: 'PENDING' | 'SUCCESS' | 'CLOSED';
  fail_reason?: string;
}

interface SandboxSplit {
  outOrderNo: string;
  orderId: string;
  transactionId: string;
  outTradeNo: string;
  state: 'PROCESSING' | 'FINISHED';
  receivers: SandboxSplitReceiver[];
  request: string;
}

interface SandboxReturn {
  outReturnNo: string;
  outOrderNo: string;
  returnMchid: string;
  amount: number;
  result: 'SUCCESS' | 'FAILED';
  failReason?: string;
  request: string;
}

export interface SplitRouteTools {
  admit(c: Context): Promise<{ body: unknown } | Response>;
  signed(c: Context, status: number, body?: object): Response;
  refuse(c: Context, refusal: Refusal): Response;
  platformPrivateKey: KeyObject;
  platformSerial: string;
  appId: string;
  mchId: string;
  now: () => number;
}

const outOrderNo = z.string().regex(/^[0-9A-Za-z_\-|*@]{1,64}$/);
/** Partner mode (#18): every call names the sub-merchant; receivers are kept per sub-merchant and a split must name the trade's. */
const subMchid = z.string().regex(/^\d{8,12}$/).optional();
const addSchema = z.object({
  sub_mchid: subMchid,
  appid: z.string(),
  type: z.enum(['MERCHANT_ID', 'PERSONAL_OPENID']),
  account: z.string().min(1).max(64),
  name: z.string().optional(),
  relation_type: z.enum(['SERVICE_PROVIDER', 'STORE', 'STAFF', 'STORE_OWNER', 'PARTNER', 'HEADQUARTER', 'BRAND', 'DISTRIBUTOR', 'USER', 'SUPPLIER', 'CUSTOM']),
});
const orderSchema = z.object({
  sub_mchid: subMchid,
  appid: z.string(),
  transaction_id: z.string(),
  out_order_no: outOrderNo,
  receivers: z.array(z.object({ type: z.enum(['MERCHANT_ID', 'PERSONAL_OPENID']), account: z.string(), amount: z.number().int().min(1), description: z.string().min(1).max(80) })).min(1),
  unfreeze_unsplit: z.boolean(),
});
const returnSchema = z.object({ sub_mchid: subMchid, out_order_no: outOrderNo, out_return_no: outOrderNo, return_mchid: z.string(), amount: z.number().int().min(1), description: z.string().min(1).max(80) });
const unfreezeSchema = z.object({ sub_mchid: subMchid, transaction_id: z.string(), out_order_no: outOrderNo, description: z.string().min(1).max(80) });
const settingsSchema = z.strictObject({ splitAfterMs: z.number().int().min(0).max(600_000), failAccounts: z.array(z.string()).max(100) }).partial();

const param = (message: string): Refusal => ({ status: 400, code: 'PARAM_ERROR', message });
const invalid = (message: string): Refusal => ({ status: 400, code: 'INVALID_REQUEST', message });
const wrongSub: Refusal = { status: 400, code: 'INVALID_REQUEST', message: '特约商户号与订单不符' };
/** A receiver is added for one sub-merchant (or the direct merchant, ''), and only its splits may name it. */
const receiverKey = (sub: string | undefined, type: string, account: string) => `${sub ?? ''}:${type}:${account}`;

export class WechatSplits {
  readonly receivers = new Map<string, { type: string; account: string; name?: string }>();
  readonly splits = new Map<string, SandboxSplit>();
  readonly returns = new Map<string, SandboxReturn>();
  readonly unfrozen = new Set<string>();
  readonly settings: SplitSandboxSettings = { splitAfterMs: 60_000, failAccounts: [] };

  /** Money split away from a trade and not returned: a refund cannot take it. */
  outstandingFen(transactionId: string): number {
    let fen = 0;
    for (const s of this.splits.values()) {
      if (s.transactionId !== transactionId) continue;
      for (const r of s.receivers) if (r.result !== 'CLOSED' && r.account !== '') fen += r.amount;
      for (const ret of this.returns.values()) if (ret.outOrderNo === s.outOrderNo && ret.result === 'SUCCESS') fen -= ret.amount;
    }
    return fen;
  }
}

function orderObject(s: SandboxSplit): Record<string, unknown> {
  return { transaction_id: s.transactionId, out_order_no: s.outOrderNo, order_id: s.orderId, state: s.state, receivers: s.receivers };
}

export function wechatSplitRoutes(app: Hono, trades: WechatTrades, splits: WechatSplits, t: SplitRouteTools): void {
  const isResponse = (v: unknown): v is Response => v instanceof Response;
  let sequence = 0;
  const newOrderId = () => `3008${String(t.now()).slice(-10)}${String(++sequence).padStart(14, '0')}`;

  app.post('/v3/profitsharing/receivers/add', async (c) => {
    const admitted = await t.admit(c);
    if (isResponse(admitted)) return admitted;
    const parsed = addSchema.safeParse(admitted.body);
    if (!parsed.success) return t.refuse(c, param(`参数错误: ${z.prettifyError(parsed.error)}`));
    const r = parsed.data;
    if (r.appid !== t.appId) return t.refuse(c, { status: 400, code: 'APPID_MCHID_NOT_MATCH', message: 'appid和mchid不匹配' });
    let name: string | undefined;
    if (r.name !== undefined) {
      if (c.req.header('wechatpay-serial') !== t.platformSerial) return t.refuse(c, param('Wechatpay-Serial与加密所用的平台公钥不一致'));
      try {
        name = privateDecrypt({ key: t.platformPrivateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, Buffer.from(r.name, 'base64')).toString('utf8');
      } catch {
        return t.refuse(c, param('name解密失败'));
      }
    }
    if (r.type === 'MERCHANT_ID' && !name) return t.refuse(c, param('商户类型的分账接收方须提供name（商户全称）'));
    splits.receivers.set(receiverKey(r.sub_mchid, r.type, r.account), { type: r.type, account: r.account, ...(name ? { name } : {}) });
    return t.signed(c, 200, { type: r.type, account: r.account, relation_type: r.relation_type });
  });

  app.post('/v3/profitsharing/orders', async (c) => {
    const admitted = await t.admit(c);
    if (isResponse(admitted)) return admitted;
    const parsed = orderSchema.safeParse(admitted.body);
    if (!parsed.success) return t.refuse(c, param(`参数错误: ${z.prettifyError(parsed.error)}`));
    const r = parsed.data;
    const canonical = JSON.stringify(r);
    const existing = splits.splits.get(r.out_order_no);
    if (existing) {
      if (existing.request !== canonical) return t.refuse(c, invalid('商户分账单号重复，且与原请求参数不一致'));
      return t.signed(c, 200, orderObject(existing));
    }
    const trade = [...trades.trades.values()].find((x) => x.transactionId === r.transaction_id);
    if (!trade || (trade.state !== 'SUCCESS' && trade.state !== 'REFUND')) return t.refuse(c, { status: 404, code: 'RESOURCE_NOT_EXISTS', message: '订单不存在或未支付' });
    if (r.sub_mchid !== trade.subMchid) return t.refuse(c, wrongSub);
    if (!trade.profitSharing) return t.refuse(c, invalid('该订单下单时未指定分账，不能分账'));
    if (splits.unfrozen.has(trade.transactionId)) return t.refuse(c, invalid('订单已解冻，不能再分账'));
    if (t.now() - (trade.successMs ?? 0) < splits.settings.splitAfterMs) return t.refuse(c, invalid('订单处理中，请稍后再试（支付成功1分钟后才可分账）'));
    if (r.receivers.length > wechat_split_receivers_max) return t.refuse(c, param(`分账接收方不能超过${wechat_split_receivers_max}个`));
    const seen = new Set<string>();
    for (const x of r.receivers) {
      const key = receiverKey(r.sub_mchid, x.type, x.account);
      if (seen.has(key)) return t.refuse(c, param('同一分账接收方在一次请求中只能出现一次'));
      seen.add(key);
      if (!splits.receivers.has(key)) return t.refuse(c, param(`分账接收方${x.account}未添加，请先调用添加分账接收方`));
    }
    const already = [...splits.splits.values()].filter((s) => s.transactionId === trade.transactionId).reduce((sum, s) => sum + s.receivers.reduce((a, x) => a + x.amount, 0), 0);
    const asked = r.receivers.reduce((a, x) => a + x.amount, 0);
    if (already + asked > Math.floor((trade.totalFen * wechat_split_cap_bp) / 10000)) return t.refuse(c, invalid('分账金额超出最大分账比例'));
    const split: SandboxSplit = {
      outOrderNo: r.out_order_no,
      orderId: newOrderId(),
      transactionId: trade.transactionId,
      outTradeNo: trade.outTradeNo,
      state: 'PROCESSING',
      receivers: r.receivers.map((x) => ({ type: x.type, account: x.account, amount: x.amount, description: x.description, result: 'PENDING' })),
      request: canonical,
    };
    splits.splits.set(split.outOrderNo, split);
    if (r.unfreeze_unsplit) splits.unfrozen.add(trade.transactionId);
    return t.signed(c, 200, orderObject(split));
  });

  app.get('/v3/profitsharing/orders/:outOrderNo', async (c) => {
    const admitted = await t.admit(c);
    if (isResponse(admitted)) return admitted;
    const split = splits.splits.get(c.req.param('outOrderNo'));
    if (!split || split.transactionId !== c.req.query('transaction_id') || trades.trades.get(split.outTradeNo)?.subMchid !== c.req.query('sub_mchid')) return t.refuse(c, { status: 404, code: 'RESOURCE_NOT_EXISTS', message: '记录不存在' });
    if (split.state === 'PROCESSING') {
      split.state = 'FINISHED';
      for (const r of split.receivers) {
        if (splits.settings.failAccounts.includes(r.account)) {
          r.result = 'CLOSED';
          r.fail_reason = 'ACCOUNT_ABNORMAL';
        } else r.result = 'SUCCESS';
      }
    }
    return t.signed(c, 200, orderObject(split));
  });

  app.post('/v3/profitsharing/return-orders', async (c) => {
    const admitted = await t.admit(c);
    if (isResponse(admitted)) return admitted;
    const parsed = returnSchema.safeParse(admitted.body);
    if (!parsed.success) return t.refuse(c, param(`参数错误: ${z.prettifyError(parsed.error)}`));
    const r = parsed.data;
    const canonical = JSON.stringify(r);
    const existing = splits.returns.get(r.out_return_no);
    const answer = (ret: SandboxReturn) => ({ out_order_no: ret.outOrderNo, out_return_no: ret.outReturnNo, return_mchid: ret.returnMchid, amount: ret.amount, result: ret.result, ...(ret.failReason ? { fail_reason: ret.failReason } : {}) });
    if (existing) {
      if (existing.request !== canonical) return t.refuse(c, invalid('商户回退单号重复，且与原请求参数不一致'));
      return t.signed(c, 200, answer(existing));
    }
    const split = splits.splits.get(r.out_order_no);
    if (!split) return t.refuse(c, { status: 404, code: 'RESOURCE_NOT_EXISTS', message: '分账单不存在' });
    if (trades.trades.get(split.outTradeNo)?.subMchid !== r.sub_mchid) return t.refuse(c, wrongSub);
    const receiver = split.receivers.find((x) => x.type === 'MERCHANT_ID' && x.account === r.return_mchid && x.result === 'SUCCESS');
    if (!receiver) return t.refuse(c, invalid('回退方不是该分账单中分账成功的商户'));
    const returned = [...splits.returns.values()].filter((x) => x.outOrderNo === split.outOrderNo && x.returnMchid === r.return_mchid && x.result === 'SUCCESS').reduce((a, x) => a + x.amount, 0);
    if (returned + r.amount > receiver.amount) return t.refuse(c, invalid('回退金额超过分账金额'));
    const failed = splits.settings.failAccounts.includes(r.return_mchid);
    const ret: SandboxReturn = { outReturnNo: r.out_return_no, outOrderNo: r.out_order_no, returnMchid: r.return_mchid, amount: r.amount, result: failed ? 'FAILED' : 'SUCCESS', ...(failed ? { failReason: 'BALANCE_NOT_ENOUGH' } : {}), request: canonical };
    splits.returns.set(ret.outReturnNo, ret);
    return t.signed(c, 200, answer(ret));
  });

  app.post('/v3/profitsharing/orders/unfreeze', async (c) => {
    const admitted = await t.admit(c);
    if (isResponse(admitted)) return admitted;
    const parsed = unfreezeSchema.safeParse(admitted.body);
    if (!parsed.success) return t.refuse(c, param(`参数错误: ${z.prettifyError(parsed.error)}`));
    const r = parsed.data;
    const existing = splits.splits.get(r.out_order_no);
    if (existing) return t.signed(c, 200, orderObject(existing));
    const trade = [...trades.trades.values()].find((x) => x.transactionId === r.transaction_id);
    if (!trade || !trade.profitSharing) return t.refuse(c, { status: 404, code: 'RESOURCE_NOT_EXISTS', message: '订单不存在或不是分账订单' });
    if (r.sub_mchid !== trade.subMchid) return t.refuse(c, wrongSub);
    if ([...splits.splits.values()].some((s) => s.transactionId === trade.transactionId && s.state === 'PROCESSING')) return t.refuse(c, invalid('分账处理中，请稍后再解冻'));
    const frozen = trade.totalFen - [...splits.splits.values()].filter((s) => s.transactionId === trade.transactionId).reduce((sum, s) => sum + s.receivers.filter((x) => x.result !== 'CLOSED').reduce((a, x) => a + x.amount, 0), 0);
    const split: SandboxSplit = {
      outOrderNo: r.out_order_no,
      orderId: newOrderId(),
      transactionId: trade.transactionId,
      outTradeNo: trade.outTradeNo,
      state: 'FINISHED',
      receivers: [{ type: 'MERCHANT_ID', account: '', amount: frozen, description: r.description, result: 'SUCCESS' }],
      request: JSON.stringify(r),
    };
    splits.splits.set(split.outOrderNo, split);
    splits.unfrozen.add(trade.transactionId);
    return t.signed(c, 200, orderObject(split));
  });

  app.get('/sandbox/wechat/split-settings', (c) => c.json(splits.settings));
  app.post('/sandbox/wechat/split-settings', async (c) => {
    const parsed = settingsSchema.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return c.json({ error: z.prettifyError(parsed.error) }, 400);
    Object.assign(splits.settings, parsed.data);
    return c.json(splits.settings);
  });
  app.get('/sandbox/wechat/splits/:transactionId', (c) => {
    const id = c.req.param('transactionId');
    return c.json({
      splits: [...splits.splits.values()].filter((s) => s.transactionId === id).map(orderObject),
      returns: [...splits.returns.values()].filter((r) => splits.splits.get(r.outOrderNo)?.transactionId === id),
      outstandingFen: splits.outstandingFen(id),
    });
  });
}
