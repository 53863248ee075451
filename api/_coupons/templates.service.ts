import { sql, type Kysely, type Selectable } from 'kysely';
import type { DB } from '../_db/schema.js';
import { AppError } from '../_kernel/errors.js';
import type { StaffPrincipal } from '../_kernel/context.js';
import { newId } from '../../shared/ids.js';
import type { CouponTemplateView, couponTemplateRequest } from '../../shared/api/coupons.js';
import type { z } from 'zod';
import type { CouponTemplatesTable } from './tables.js';
import { templateSummary } from './rules.js';
import { coupon_templates_active_max } from './limits.js';

type TemplateRow = Selectable<CouponTemplatesTable>;

/** The names of free-item SKUs, for the coupons' summaries. */
export async function freeItemNames(db: Kysely<DB>, merchantId: string, skuIds: readonly (string | null)[]): Promise<Map<string, string>> {
  const ids = [...new Set(skuIds.filter((s): s is string => s !== null))];
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('skus').innerJoin('products', 'products.id', 'skus.product_id').select(['skus.id', 'products.name']).where('skus.merchant_id', '=', merchantId).where('skus.id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

export function templateView(t: TemplateRow, names: Map<string, string>): CouponTemplateView {
  return {
    id: t.id,
    name: t.name,
    kind: t.kind,
    minSpendFen: t.min_spend_fen,
    offFen: t.off_fen,
    offBp: t.off_bp,
    capFen: t.cap_fen,
    freeSkuId: t.free_sku_id,
    summary: templateSummary(t, t.free_sku_id ? names.get(t.free_sku_id) : undefined),
    validFrom: t.valid_from ? new Date(t.valid_from).toISOString() : null,
    validUntil: t.valid_until ? new Date(t.valid_until).toISOString() : null,
    validDays: t.valid_days,
    storeIds: t.store_ids,
    categoryIds: t.category_ids,
    skuIds: t.sku_ids,
    perMemberMax: t.per_member_max,
    totalMax: t.total_max,
    claimable: t.claimable,
    autoIssue: t.auto_issue,
    autoLevel: t.auto_level,
    returnPolicy: t.return_policy,
    status: t.status,
    createdAt: new Date(t.created_at).toISOString(),
  };
}

async function assertIdsOfMerchant(db: Kysely<DB>, merchantId: string, table: 'stores' | 'categories' | 'skus', ids: readonly string[], path: string, what: string): Promise<void> {
  if (ids.length === 0) return;
  const list = [...ids];
  // Each table named as such, so the walls test sees which modules' tables this reads.
  const found =
    table === 'stores'
      ? await db.selectFrom('stores').select('id').where('merchant_id', '=', merchantId).where('id', 'in', list).execute()
      : table === 'categories'
        ? await db.selectFrom('categories').select('id').where('merchant_id', '=', merchantId).where('id', 'in', list).execute()
        : await db.selectFrom('skus').select('id').where('merchant_id', '=', merchantId).where('id', 'in', list).execute();
  if (found.length !== new Set(ids).size) throw new AppError('validation_failed', `适用${what}中有不存在的${what}`, [{ path, message: 'unknown id' }]);
}

/** Makes a template; only the owner may (the route says so), since a coupon is money the shop gives away. */
export async function createTemplate(db: Kysely<DB>, staff: StaffPrincipal, body: z.infer<typeof couponTemplateRequest>, now: Date): Promise<CouponTemplateView> {
  await assertIdsOfMerchant(db, staff.merchantId, 'stores', body.storeIds, 'storeIds', '门店');
  await assertIdsOfMerchant(db, staff.merchantId, 'categories', body.categoryIds, 'categoryIds', '分类');
  await assertIdsOfMerchant(db, staff.merchantId, 'skus', body.skuIds, 'skuIds', '商品');
  if (body.freeSkuId) await assertIdsOfMerchant(db, staff.merchantId, 'skus', [body.freeSkuId], 'freeSkuId', '商品');
  if (body.validity.kind === 'fixed' && Date.parse(body.validity.until) <= now.getTime()) {
    throw new AppError('validation_failed', '有效期已经结束，请改一个将来的日期', [{ path: 'validity.until', message: 'in the past' }]);
  }
  const active = await db.selectFrom('coupon_templates').select(sql<number>`count(*)::int`.as('n')).where('merchant_id', '=', staff.merchantId).where('status', '=', 'active').executeTakeFirstOrThrow();
  if (active.n >= coupon_templates_active_max) {
    throw new AppError('limit_exceeded', `同时发放的优惠券最多 ${coupon_templates_active_max} 种（coupon_templates_active_max），请先停发不用的`);
  }
  const row = await db
    .insertInto('coupon_templates')
    .values({
      id: newId('couponTemplate', now.getTime()),
      merchant_id: staff.merchantId,
      name: body.name,
      kind: body.kind,
      min_spend_fen: body.minSpendFen,
      off_fen: body.offFen ?? null,
      off_bp: body.offBp ?? null,
      cap_fen: body.capFen ?? null,
      free_sku_id: body.freeSkuId ?? null,
      valid_from: body.validity.kind === 'fixed' ? body.validity.from : null,
      valid_until: body.validity.kind === 'fixed' ? body.validity.until : null,
      valid_days: body.validity.kind === 'days' ? body.validity.days : null,
      store_ids: JSON.stringify(body.storeIds),
      category_ids: JSON.stringify(body.categoryIds),
      sku_ids: JSON.stringify(body.skuIds),
      per_member_max: body.perMemberMax,
      total_max: body.totalMax ?? null,
      claimable: body.claimable,
      auto_issue: body.autoIssue,
      auto_level: body.autoLevel ?? null,
      return_policy: body.returnPolicy,
      created_by: staff.staffId,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return templateView(row, await freeItemNames(db, staff.merchantId, [row.free_sku_id]));
}

/** Stops issuing a template; coupons already issued stay usable until they expire, as their holders were promised. */
export async function stopTemplate(db: Kysely<DB>, staff: StaffPrincipal, templateId: string, now: Date): Promise<CouponTemplateView> {
  const row = await db
    .updateTable('coupon_templates')
    .set({ status: 'stopped', stopped_by: staff.staffId, stopped_at: now })
    .where('id', '=', templateId)
    .where('merchant_id', '=', staff.merchantId)
    .where('status', '=', 'active')
    .returningAll()
    .executeTakeFirst();
  const t = row ?? (await db.selectFrom('coupon_templates').selectAll().where('id', '=', templateId).where('merchant_id', '=', staff.merchantId).executeTakeFirst());
  if (!t) throw new AppError('not_found', `找不到优惠券模板 ${templateId}`);
  return templateView(t, await freeItemNames(db, staff.merchantId, [t.free_sku_id]));
}

/**
 * Whether a template of this merchant is still being issued. Another module
 * that names a template to issue later (referral's coupon rewards) asks this
 * when the owner saves, so a foreign or stopped template is refused then and
 * not found silently at every reward.
 */
export async function activeTemplateExists(db: Kysely<DB>, merchantId: string, templateId: string): Promise<boolean> {
  const t = await db.selectFrom('coupon_templates').select('id').where('id', '=', templateId).where('merchant_id', '=', merchantId).where('status', '=', 'active').executeTakeFirst();
  return t !== undefined;
}

/** Every template of the merchant, newest first, with how many were issued, used, and expired unused. */
export async function listTemplates(db: Kysely<DB>, merchantId: string, now: Date, limit: number) {
  const rows = await db.selectFrom('coupon_templates').selectAll().where('merchant_id', '=', merchantId).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  const ids = rows.map((r) => r.id);
  const counts =
    ids.length === 0
      ? []
      : await db
          .selectFrom('coupons')
          .select([
            'template_id',
            sql<number>`count(*)::int`.as('issued'),
            sql<number>`count(*) filter (where status = 'used')::int`.as('used'),
            sql<number>`count(*) filter (where status = 'available' and valid_until <= ${now})::int`.as('expired'),
          ])
          .where('merchant_id', '=', merchantId)
          .where('template_id', 'in', ids)
          .groupBy('template_id')
          .execute();
  const byTemplate = new Map(counts.map((c) => [c.template_id, c]));
  const names = await freeItemNames(db, merchantId, rows.map((r) => r.free_sku_id));
  return { items: rows.map((r) => ({ ...templateView(r, names), issued: byTemplate.get(r.id)?.issued ?? 0, used: byTemplate.get(r.id)?.used ?? 0, expired: byTemplate.get(r.id)?.expired ?? 0 })) };
}
