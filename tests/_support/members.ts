import { sql } from 'kysely';
import { expect } from 'vitest';
import type { TestApi } from './api-harness';
import { callSandbox } from './sandbox-client';
import { findSku, orderId } from './selling';
import { checkoutResponse, pricingContextResponse } from '../../shared/api/orders';
import { memberLookupResponse } from '../../shared/api/members';
import { levelBenefits, pricingLevelOf, priceOrder } from '../../shared/pricing/index';

/**
 * Members of every origin for the #17 tests: a counter member made by phone,
 * a WeChat shopper and an Alipay shopper signed in through the sandbox; and
 * the platforms' phone consent as the sandbox plays it.
 */

let cardReference = 1;

export async function shopperToken(api: TestApi, platform: 'wechat' | 'alipay', userId: string): Promise<{ token: string; memberId: string }> {
  const code = await api.loginCode(platform, userId);
  const res = await api.call('POST', '/api/auth/shopper/login', { body: { platform, code, storeCode: 'DEMO01' } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return { token: res.body.token as string, memberId: res.body.member.id as string };
}

export async function counterMember(api: TestApi, staffToken: string, phone: string): Promise<string> {
  const res = await api.call('POST', '/api/members', { token: staffToken, body: { phone } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.member.id as string;
}

/** What the platform hands the page when the user agrees to share `phone`: a WeChat code or Alipay's encrypted answer. */
export async function phoneConsent(api: TestApi, platform: 'wechat' | 'alipay', userId: string, phone: string, extra: Record<string, unknown> = {}): Promise<{ platform: 'wechat'; code: string } | { platform: 'alipay'; response: string }> {
  const appId = platform === 'wechat' ? api.keys.wechat.appId : api.keys.alipay.appId;
  const res = await callSandbox(api.sandbox.url, '/sandbox/phone', { platform, appId, userId, phone, ...extra });
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return platform === 'wechat' ? { platform, code: res.json.code as string } : { platform, response: res.json.response as string };
}

/** A counter sale of one item to the member, paid by card, priced as the counter prices it; returns the order id and points earned. */
export async function sellTo(api: TestApi, staffToken: string, memberId: string): Promise<{ orderId: string; pointsEarned: number }> {
  const storeId = api.seed.storeIds.DEMO01!;
  const tee = await findSku(api, staffToken, 'cmyltx');
  const member = memberLookupResponse.parse((await api.call('GET', `/api/members/lookup?memberId=${memberId}`, { token: staffToken })).body).member;
  const ctx = pricingContextResponse.parse((await api.call('GET', `/api/stores/${storeId}/pricing-context`, { token: staffToken })).body);
  const level = pricingLevelOf(levelBenefits(ctx.memberLevels ?? [], member.level));
  const preview = priceOrder({
    lines: [{ skuId: tee.id, qty: 1, retailPriceFen: tee.retailPriceFen, ...(tee.memberPriceFen !== undefined ? { memberPriceFen: tee.memberPriceFen } : {}) }],
    member: { id: member.id, pointsBalance: member.points, ...(level ? { level } : {}) },
    bundles: ctx.bundles,
    thresholds: ctx.thresholds,
    cashRounding: 'none',
    cashTender: false,
  });
  const res = await api.call('POST', '/api/orders', {
    token: staffToken,
    body: { clientOrderId: orderId(), storeId, memberId: member.id, lines: [{ skuId: tee.id, qty: 1 }], tenders: [{ method: 'card', amountFen: preview.totalFen, reference: `MREF${cardReference++}` }], expectedTotalFen: preview.totalFen },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const order = checkoutResponse.parse(res.body).order;
  return { orderId: order.id, pointsEarned: order.pointsEarned };
}

/** Points of a set of members, summed over the ledger: a merge must leave it as it was. */
export async function ledgerSum(api: TestApi, memberIds: string[]): Promise<number> {
  const r = await sql<{ s: number }>`select coalesce(sum(delta), 0)::int as s from points_ledger where member_id in (${sql.join(memberIds)})`.execute(api.deps.db);
  return r.rows[0]!.s;
}

export async function memberRow(api: TestApi, id: string) {
  return api.deps.db.selectFrom('members').select(['id', 'phone', 'wechat_openid', 'alipay_user_id', 'level', 'merged_into']).where('id', '=', id).executeTakeFirstOrThrow();
}
