import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../_db/schema.js';
import type { BundleRule, DiscountRule, ThresholdRule } from '../../shared/pricing/types.js';




export interface ActivePromotions {
  bundles: BundleRule[];
  discounts: DiscountRule[];
  thresholds: ThresholdRule[];
  names: Map<string, string>;
}

/** The promotions running now in a store: the merchant's and the store's own. */
export async function activePromotions(db: Kysely<DB> | Transaction<DB>, merchantId: string, storeId: string, at: Date): Promise<ActivePromotions> {
  const rows = await db
    .selectFrom('promotions')
    .select(['id', 'kind', 'name', 'definition'])
    .where('merchant_id', '=', merchantId)
    .where('active', '=', true)
    .where((eb) => eb.or([eb('store_id', 'is', null), eb('store_id', '=', storeId)]))
    .where((eb) => eb.or([eb('starts_at', 'is', null), eb('starts_at', '<=', at)]))
    .where((eb) => eb.or([eb('ends_at', 'is', null), eb('ends_at', '>', at)]))
    .orderBy('id')
    .execute();
  const result: ActivePromotions = { bundles: [], discounts: [], thresholds: [], names: new Map() };
  for (const r of rows) {
    result.names.set(r.id, r.name);
    const def = r.definition as Record<string, unknown>;
    if (r.kind === 'bundle') result.bundles.push({ ...(def as Omit<BundleRule, 'id'>), id: r.id, name: r.name });
    else if (r.kind === 'discount') {
      // Stored as the request's offBp and scope (promotions.routes.ts); the engine reads bp.
      const { offBp, scope } = def as { offBp: number; scope?: DiscountRule['scope'] };
      result.discounts.push({ id: r.id, name: r.name, bp: offBp, ...(scope ? { scope } : {}) });
    } else result.thresholds.push({ ...(def as Omit<ThresholdRule, 'id'>), id: r.id, name: r.name });
  }
  return result;
}
