import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { DB } from '../_db/schema.js';
import { audit } from '../_audit/index.js';
import type { sellingSettingsRequest, storeSettingsRequest } from '../../shared/api/promotions.js';

/** The merchant's newest promotions, at most `limit`. */
export async function promotionsOf(db: Kysely<DB>, merchantId: string, limit: number) {
  return db.selectFrom('promotions').selectAll().where('merchant_id', '=', merchantId).orderBy('id', 'desc').limit(limit).execute();
}

/** Which of the given SKU ids the merchant has, so a promotion naming an unknown SKU can be refused. */
export async function skuIdsOfMerchant(db: Kysely<DB>, merchantId: string, skuIds: string[]): Promise<{ id: string }[]> {
  return db.selectFrom('skus').select('id').where('merchant_id', '=', merchantId).where('id', 'in', skuIds).execute();
}

export async function categoryIdsOfMerchant(db: Kysely<DB>, merchantId: string, categoryIds: string[]): Promise<{ id: string }[]> {
  return db.selectFrom('categories').select('id').where('merchant_id', '=', merchantId).where('id', 'in', categoryIds).execute();
}

export interface NewPromotion {
  id: string;
  merchantId: string;
  staffId: string;
  storeId: string | null;
  kind: 'threshold' | 'bundle' | 'discount';
  name: string;
  /** The rule itself: what the engine reads, stored as JSON. */
  definition: Record<string, unknown>;
  startsAt: string | null;
  endsAt: string | null;
}

/** Saves a promotion and audits it in one transaction, so the audit never names a promotion that was not saved. */
export async function createPromotion(db: Kysely<DB>, n: NewPromotion): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('promotions')
      .values({ id: n.id, merchant_id: n.merchantId, store_id: n.storeId, kind: n.kind, name: n.name, definition: JSON.stringify(n.definition), starts_at: n.startsAt, ends_at: n.endsAt })
      .execute();
    await audit(trx, { merchantId: n.merchantId, actorId: n.staffId, action: 'promotion.created', subjectId: n.id, detail: { kind: n.kind, name: n.name, storeId: n.storeId, definition: n.definition } });
  });
}

/** One promotion of the merchant with the store it is for, or undefined when the merchant has none by that id. */
export async function promotionOf(db: Kysely<DB>, merchantId: string, id: string): Promise<{ id: string; store_id: string | null } | undefined> {
  return db.selectFrom('promotions').select(['id', 'store_id']).where('id', '=', id).where('merchant_id', '=', merchantId).executeTakeFirst();
}

/** Turns a promotion off and audits it in one transaction. */
export async function deactivatePromotion(db: Kysely<DB>, merchantId: string, staffId: string, id: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('promotions').set({ active: false }).where('id', '=', id).execute();
    await audit(trx, { merchantId, actorId: staffId, action: 'promotion.deactivated', subjectId: id });
  });
}

/**
 * Saves the fields of the merchant's selling settings the request names,
 * leaving the others as they were, and audits the request in the same
 * transaction. Member levels are stored sorted by the spend that reaches
 * them, whatever order the request listed them in.
 */
export async function saveSellingSettings(db: Kysely<DB>, merchantId: string, staffId: string, body: z.infer<typeof sellingSettingsRequest>): Promise<void> {
  const set = {
    ...(body.pointsPerYuan !== undefined ? { points_per_yuan: body.pointsPerYuan } : {}),
    ...(body.redeemPointsPerFen !== undefined ? { points_redeem_per_fen: body.redeemPointsPerFen } : {}),
    ...(body.pointsRedeemCapBp !== undefined ? { points_redeem_cap_bp: body.pointsRedeemCapBp } : {}),
    ...(body.memberLevels !== undefined ? { member_levels: JSON.stringify([...body.memberLevels].sort((a, b) => a.minSpendFen - b.minSpendFen)) } : {}),
  };
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('merchant_settings')
      .values({ merchant_id: merchantId, ...set })
      .onConflict((oc) => oc.column('merchant_id').doUpdateSet({ ...set, updated_at: new Date() }))
      .execute();
    await audit(trx, { merchantId, actorId: staffId, action: 'settings.selling', subjectId: null, detail: body });
  });
}

/** Saves the fields of a store's settings the request names, leaving the others as they were, and audits the request in the same transaction. */
export async function saveStoreSettings(db: Kysely<DB>, merchantId: string, staffId: string, storeId: string, body: z.infer<typeof storeSettingsRequest>): Promise<void> {
  const set = {
    ...(body.cashRounding !== undefined ? { cash_rounding: body.cashRounding } : {}),
    ...(body.reservationTtlMinutes !== undefined ? { reservation_ttl_minutes: body.reservationTtlMinutes } : {}),
  };
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('store_settings')
      .values({ store_id: storeId, merchant_id: merchantId, ...set })
      .onConflict((oc) => oc.column('store_id').doUpdateSet({ ...set, updated_at: new Date() }))
      .execute();
    await audit(trx, { merchantId, actorId: staffId, action: 'settings.store', subjectId: storeId, detail: body });
  });
}
