import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv, MemberPrincipal } from '../_kernel/context.js';
import { assertStoreAccess, requireAuth, staffOf } from '../_identity/index.js';
import { AppError } from '../_kernel/errors.js';
import { readJson, readParams, readQuery } from '../_kernel/validate.js';
import { idOf } from '../../shared/api/common.js';
import { claimCouponRequest, couponTemplateRequest, issueCouponRequest, storeCouponsQuery } from '../../shared/api/coupons.js';
import { createTemplate, listTemplates, stopTemplate } from './templates.service.js';
import { claimableTemplates, memberCoupons } from './member-coupons.js';
import { claimCoupon, issueAtCounter } from './issue.service.js';
import { coupon_templates_list_max } from './limits.js';

export const couponRoutes = new Hono<AppEnv>();

const templateParams = z.object({ templateId: idOf('cpt') });
const storeParams = z.object({ storeId: idOf('sto') });

function memberOf(p: AppEnv['Variables']['principal']): MemberPrincipal {
  if (p?.kind !== 'member') throw new AppError('forbidden', '只有顾客可以领取和查看自己的优惠券');
  return p;
}

/** Managers see the templates and their counts; making and stopping them is the owner's, as a coupon gives the shop's money away. */
couponRoutes.get('/coupons/templates', requireAuth(['owner', 'manager']), async (c) => {
  const p = staffOf(c.get('principal'));
  const deps = c.get('deps');
  return c.json(await listTemplates(deps.db, p.merchantId, deps.clock(), coupon_templates_list_max));
});

couponRoutes.post('/coupons/templates', requireAuth(['owner']), async (c) => {
  const body = await readJson(c, couponTemplateRequest);
  const deps = c.get('deps');
  return c.json({ template: await createTemplate(deps.db, staffOf(c.get('principal')), body, deps.clock()) }, 201);
});

couponRoutes.post('/coupons/templates/:templateId/stop', requireAuth(['owner']), async (c) => {
  const { templateId } = readParams(c, templateParams);
  const deps = c.get('deps');
  return c.json({ template: await stopTemplate(deps.db, staffOf(c.get('principal')), templateId, deps.clock()) });
});

/** 柜台发券: any member of staff gives a member a coupon; the template's limits decide whether there is one to give. */
couponRoutes.post('/coupons/issue', requireAuth('staff'), async (c) => {
  const body = await readJson(c, issueCouponRequest);
  const deps = c.get('deps');
  const p = staffOf(c.get('principal'));
  const result = await issueAtCounter(deps.db, { merchantId: p.merchantId, memberId: body.memberId, templateId: body.templateId, idempotencyKey: body.idempotencyKey, now: deps.clock(), staffId: p.staffId });
  if ('refused' in result) throw new AppError(result.refused.startsWith('找不到') ? 'not_found' : 'conflict', result.refused);
  return c.json(result, 201);
});

/** The counter's coupon chooser: the member's coupons usable now in this store. */
couponRoutes.get('/stores/:storeId/coupons', requireAuth('staff'), async (c) => {
  const { storeId } = readParams(c, storeParams);
  const deps = c.get('deps');
  const p = staffOf(c.get('principal'));
  await assertStoreAccess(deps.db, p, storeId);
  const q = readQuery(c, storeCouponsQuery);
  return c.json(await memberCoupons(deps.db, { merchantId: p.merchantId, memberId: q.memberId, now: deps.clock(), usableInStoreId: storeId }));
});

/** 我的优惠券: all of the shopper's own coupons; with ?storeId, those usable now in that store (the order page's chooser). */
couponRoutes.get('/shop/coupons', requireAuth('member'), async (c) => {
  const p = memberOf(c.get('principal'));
  const q = readQuery(c, z.strictObject({ storeId: idOf('sto').optional() }));
  const deps = c.get('deps');
  return c.json(await memberCoupons(deps.db, { merchantId: p.merchantId, memberId: p.memberId, now: deps.clock(), ...(q.storeId ? { usableInStoreId: q.storeId } : {}) }));
});

/** 领券中心. */
couponRoutes.get('/shop/coupons/claimable', requireAuth('member'), async (c) => {
  const p = memberOf(c.get('principal'));
  const deps = c.get('deps');
  return c.json(await claimableTemplates(deps.db, { merchantId: p.merchantId, memberId: p.memberId, now: deps.clock() }));
});

couponRoutes.post('/shop/coupons/claim', requireAuth('member'), async (c) => {
  const p = memberOf(c.get('principal'));
  const body = await readJson(c, claimCouponRequest);
  const deps = c.get('deps');
  const result = await claimCoupon(deps.db, { merchantId: p.merchantId, memberId: p.memberId, templateId: body.templateId, idempotencyKey: body.idempotencyKey, now: deps.clock() });
  if ('refused' in result) throw new AppError(result.refused.startsWith('找不到') ? 'not_found' : 'conflict', result.refused);
  return c.json(result, 201);
});
