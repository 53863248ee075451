import { sql, type Kysely } from 'kysely';
import type { DB } from '../_db/schema.js';
import { AppError } from '../_kernel/errors.js';
import { skusForSale } from '../_catalog/index.js';
import { newId } from '../../shared/ids.js';
import { specLabel } from '../../shared/spec-label.js';
import { mall_gifts_max, type GiftRequest, type GiftView } from '../../shared/api/points-mall.js';

/**
 * Gifts with what is available of them: at one store for the shop (what a
 * member may pick up there), or summed over the merchant's stores for the
 * owner. Available is on hand less held, never below zero.
 */
async function giftViews(db: Kysely<DB>, merchantId: string, opts: { storeId?: string; memberId?: string; activeOnly: boolean }): Promise<GiftView[]> {
  let q = db
    .selectFrom('mall_gifts as g')
    .innerJoin('skus as k', 'k.id', 'g.sku_id')
    .innerJoin('products as p', 'p.id', 'k.product_id')
    .select([
      'p.name as product_name',
      'k.spec',
      sql<boolean>`k.active and p.active`.as('sku_on_sale'),
      'g.id',
      'g.name',
      'g.sku_id',
      'g.points_price',
      'g.cash_fen',
      'g.per_member_max',
      'g.active',
      (eb) =>
        eb
          .selectFrom('stock_levels as l')
          .select(sql<number>`coalesce(sum(greatest(l.on_hand - l.reserved, 0)), 0)::bigint`.as('n'))
          .whereRef('l.sku_id', '=', 'g.sku_id')
          .where('l.merchant_id', '=', merchantId)
          .$if(opts.storeId !== undefined, (w) => w.where('l.store_id', '=', opts.storeId!))
          .as('available'),
      (eb) =>
        eb
          .selectFrom('mall_redemptions as r')
          .select(sql<number>`coalesce(sum(r.qty), 0)::bigint`.as('n'))
          .whereRef('r.gift_id', '=', 'g.id')
          .where('r.member_id', '=', opts.memberId ?? '')
          .where('r.status', '<>', 'cancelled')
          .as('taken'),
    ])
    .where('g.merchant_id', '=', merchantId);
  // The shop offers only gifts whose goods are still sold: a SKU taken off the catalog cannot be handed over.
  if (opts.activeOnly) q = q.where('g.active', '=', true).where('k.active', '=', true).where('p.active', '=', true);
  const rows = await q.orderBy('g.points_price').orderBy('g.id').limit(mall_gifts_max).execute();
  return rows.map((r) => {
    const spec = specLabel(r.spec);
    return {
      id: r.id,
      name: r.name,
      skuId: r.sku_id,
      skuLabel: `${[r.product_name, spec].filter(Boolean).join(' ')}${r.sku_on_sale ? '' : '（已下架）'}`,
      pointsPrice: r.points_price,
      cashFen: Number(r.cash_fen),
      perMemberMax: r.per_member_max,
      active: r.active,
      available: Number(r.available ?? 0),
      takenByMember: Number(r.taken ?? 0),
    };
  });
}

/** The shop's gift list at one store, with what the member has taken of each. */
export async function shopGifts(db: Kysely<DB>, member: { merchantId: string; memberId: string }, storeId: string): Promise<GiftView[]> {
  const store = await db.selectFrom('stores').select('id').where('id', '=', storeId).where('merchant_id', '=', member.merchantId).executeTakeFirst();
  if (!store) throw new AppError('not_found', '找不到这家门店');
  return giftViews(db, member.merchantId, { storeId, memberId: member.memberId, activeOnly: true });
}

/** The owner's list: every gift, on offer or stopped, with its stock over all stores. */
export async function ownerGifts(db: Kysely<DB>, merchantId: string): Promise<GiftView[]> {
  return giftViews(db, merchantId, { activeOnly: false });
}

async function oneGift(db: Kysely<DB>, merchantId: string, id: string): Promise<GiftView> {
  const view = (await giftViews(db, merchantId, { activeOnly: false })).find((g) => g.id === id);
  if (!view) throw new AppError('not_found', '找不到这件礼品');
  return view;
}

/** A new gift, backed by an active SKU of the merchant's own catalog (skusForSale refuses any other). */
export async function createGift(db: Kysely<DB>, merchantId: string, input: GiftRequest): Promise<GiftView> {
  await skusForSale(db, merchantId, [input.skuId]);
  const count = await db.selectFrom('mall_gifts').select((eb) => eb.fn.countAll<number>().as('n')).where('merchant_id', '=', merchantId).executeTakeFirstOrThrow();
  if (Number(count.n) >= mall_gifts_max) throw new AppError('bad_request', `礼品最多 ${mall_gifts_max} 件（mall_gifts_max），请停用或修改已有礼品`);
  const id = newId('mallGift');
  await db
    .insertInto('mall_gifts')
    .values({ id, merchant_id: merchantId, sku_id: input.skuId, name: input.name, points_price: input.pointsPrice, cash_fen: input.cashFen, per_member_max: input.perMemberMax, active: input.active })
    .execute();
  return oneGift(db, merchantId, id);
}

/**
 * Changes a gift. Redemptions already made keep the price they were made at
 * (each records its own points and cash), so a new price only applies from now.
 */
export async function updateGift(db: Kysely<DB>, merchantId: string, id: string, input: GiftRequest): Promise<GiftView> {
  // Another merchant's gift is "not found" before anything of the body is checked against this merchant's catalog.
  const own = await db.selectFrom('mall_gifts').select('id').where('id', '=', id).where('merchant_id', '=', merchantId).executeTakeFirst();
  if (!own) throw new AppError('not_found', '找不到这件礼品');
  await skusForSale(db, merchantId, [input.skuId]);
  const updated = await db
    .updateTable('mall_gifts')
    .set({ sku_id: input.skuId, name: input.name, points_price: input.pointsPrice, cash_fen: input.cashFen, per_member_max: input.perMemberMax, active: input.active, updated_at: new Date() })
    .where('id', '=', id)
    .where('merchant_id', '=', merchantId)
    .executeTakeFirst();
  if (updated.numUpdatedRows !== 1n) throw new AppError('not_found', '找不到这件礼品');
  return oneGift(db, merchantId, id);
}
