import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../_kernel/context.js';
import { requireAuth, staffOf } from '../_identity/index.js';
import { AppError } from '../_kernel/errors.js';
import { assertStoreAccess } from '../_identity/index.js';
import { readJson, readParams } from '../_kernel/validate.js';
import { idOf } from '../../shared/api/common.js';
import { promotionRequest, sellingSettingsRequest, storeSettingsRequest } from '../../shared/api/promotions.js';
import { promotionRuleProblem } from '../../shared/pricing/promotion-check.js';
import { newId } from '../../shared/ids.js';
import { forgetPricingContext, merchantSellingSettings as sellingSettingsOf } from '../_sales/index.js';
import { levelBenefits } from '../../shared/pricing/member-level.js';
import { createPromotion, deactivatePromotion, promotionOf, promotionsOf, saveSellingSettings, saveStoreSettings, skuIdsOfMerchant, categoryIdsOfMerchant } from './promotions.repository.js';

export const promotionRoutes = new Hono<AppEnv>();

export const promotions_list_max = 200;
const managers = requireAuth(['owner', 'manager']);

/** The engine's own rule checks (shared with the owner's form), answered with the promotion's own field. */
function checkRule(p: z.infer<typeof promotionRequest>): void {
  const problem = promotionRuleProblem(p);
  if (problem) throw new AppError('validation_failed', problem.message, [{ path: problem.path, message: problem.message }]);
}

promotionRoutes.get('/promotions', managers, async (c) => {
  const p = staffOf(c.get('principal'));
  const rows = await promotionsOf(c.get('deps').db, p.merchantId, promotions_list_max);
  return c.json({
    items: rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      name: r.name,
      storeId: r.store_id,
      active: r.active,
      startsAt: r.starts_at ? new Date(r.starts_at).toISOString() : null,
      endsAt: r.ends_at ? new Date(r.ends_at).toISOString() : null,
      definition: r.definition as Record<string, unknown>,
    })),
  });
});

promotionRoutes.post('/promotions', managers, async (c) => {
  const body = await readJson(c, promotionRequest);
  const deps = c.get('deps');
  const p = staffOf(c.get('principal'));
  checkRule(body);
  if (body.storeId) await assertStoreAccess(deps.db, p, body.storeId);
  else if (p.role !== 'owner') throw new AppError('forbidden', '全店通用的促销需要店主设置');
  const skuIds = body.kind === 'bundle' ? body.items.map((i) => i.skuId) : (body.scope?.skuIds ?? []);
  if (skuIds.length > 0) {
    const found = await skuIdsOfMerchant(deps.db, p.merchantId, skuIds);
    if (found.length !== new Set(skuIds).size) {
      // Named by position, so the owner's form shows the reason next to the SKU it concerns.
      const known = new Set(found.map((f) => f.id));
      const field = body.kind === 'bundle' ? 'items' : 'scope.skuIds';
      const missing = skuIds.flatMap((id, i) => (known.has(id) ? [] : [{ path: body.kind === 'bundle' ? `${field}.${i}.skuId` : `${field}.${i}`, message: `第 ${i + 1} 个商品不存在或不属于本店` }]));
      throw new AppError('validation_failed', '促销里有不存在的商品', missing);
    }
  }
  const categoryIds = body.kind === 'bundle' ? [] : (body.scope?.categoryIds ?? []);
  if (categoryIds.length > 0) {
    const known = new Set((await categoryIdsOfMerchant(deps.db, p.merchantId, categoryIds)).map((f) => f.id));
    const missing = categoryIds.flatMap((id, i) => (known.has(id) ? [] : [{ path: `scope.categoryIds.${i}`, message: `第 ${i + 1} 个分类不存在或不属于本店` }]));
    if (missing.length > 0) throw new AppError('validation_failed', '促销里有不存在的分类', missing);
  }
  const { kind, name, storeId, startsAt, endsAt, ...definition } = body;
  const id = newId('promotion');
  await createPromotion(deps.db, { id, merchantId: p.merchantId, staffId: p.staffId, storeId: storeId ?? null, kind, name, definition, startsAt: startsAt ?? null, endsAt: endsAt ?? null });
  forgetPricingContext();
  return c.json({ id }, 201);
});

promotionRoutes.post('/promotions/:id/deactivate', managers, async (c) => {
  const { id } = readParams(c, z.object({ id: idOf('prm') }));
  const deps = c.get('deps');
  const p = staffOf(c.get('principal'));
  const promo = await promotionOf(deps.db, p.merchantId, id);
  if (!promo) throw new AppError('not_found', `找不到促销 ${id}`);
  if (promo.store_id) await assertStoreAccess(deps.db, p, promo.store_id);
  else if (p.role !== 'owner') throw new AppError('forbidden', '全店通用的促销需要店主设置');
  await deactivatePromotion(deps.db, p.merchantId, p.staffId, id);
  forgetPricingContext();
  return c.json({ id, active: false });
});

promotionRoutes.get('/settings/selling', managers, async (c) => {
  const p = staffOf(c.get('principal'));
  const s = await sellingSettingsOf(c.get('deps').db, p.merchantId);
  return c.json({
    pointsPerYuan: s.pointsPerYuan,
    redeemPointsPerFen: s.redeemPointsPerFen,
    pointsRedeemCapBp: s.pointsRedeemCapBp,
    memberLevels: s.memberLevels.map((l) => {
      const { discountBp, pointsMultiplierBp } = levelBenefits(s.memberLevels, l.name);
      return { name: l.name, minSpendFen: l.minSpendFen, minVisits: l.minVisits, discountBp, pointsMultiplierBp };
    }),
  });
});

promotionRoutes.put('/settings/selling', requireAuth(['owner']), async (c) => {
  const body = await readJson(c, sellingSettingsRequest);
  const deps = c.get('deps');
  const p = staffOf(c.get('principal'));
  await saveSellingSettings(deps.db, p.merchantId, p.staffId, body);
  forgetPricingContext();
  return c.json({ ok: true });
});

promotionRoutes.put('/stores/:storeId/settings', requireAuth(['owner']), async (c) => {
  const { storeId } = readParams(c, z.object({ storeId: idOf('sto') }));
  const body = await readJson(c, storeSettingsRequest);
  const deps = c.get('deps');
  const p = staffOf(c.get('principal'));
  await assertStoreAccess(deps.db, p, storeId);
  await saveStoreSettings(deps.db, p.merchantId, p.staffId, storeId, body);
  forgetPricingContext();
  return c.json({ ok: true });
});
