import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../_db/schema.js';
import type { ReservationView } from '../../shared/api/reservations.js';
import { specLabel } from '../../shared/spec-label.js';
import { maskPhone } from '../../shared/phone-mask.js';
import type { StaffPrincipal } from '../_kernel/context.js';
import { seesFullPhones } from '../_identity/index.js';

/** Reservations with their lines, in the order of the ids given; ids of another merchant are left out. */
export async function reservationViews(db: Kysely<DB> | Transaction<DB>, merchantId: string, ids: string[]): Promise<ReservationView[]> {
  if (ids.length === 0) return [];
  const [heads, lines] = await Promise.all([
    db.selectFrom('customer_reservations').selectAll().where('merchant_id', '=', merchantId).where('id', 'in', ids).execute(),
    db
      .selectFrom('customer_reservation_lines as l')
      .innerJoin('skus', 'skus.id', 'l.sku_id')
      .innerJoin('products', 'products.id', 'skus.product_id')
      .innerJoin('categories', (join) => join.onRef('categories.id', '=', 'products.category_id').onRef('categories.merchant_id', '=', 'products.merchant_id'))
      .select(['l.reservation_id', 'l.sku_id', 'l.qty', 'skus.spec', 'skus.retail_price_fen', 'skus.member_price_fen', 'products.name', 'products.category_id', 'categories.parent_id'])
      .where('l.merchant_id', '=', merchantId)
      .where('l.reservation_id', 'in', ids)
      .orderBy('l.sku_id')
      .execute(),
  ]);
  const byId = new Map(heads.map((h) => [h.id, h]));
  return ids.flatMap((id) => {
    const h = byId.get(id);
    if (!h) return [];
    return [
      {
        id: h.id,
        storeId: h.store_id,
        channel: h.channel,
        memberId: h.member_id,
        customerName: h.customer_name,
        customerPhone: h.customer_phone,
        pickupBy: h.pickup_by,
        status: h.status,
        note: h.note,
        orderId: h.order_id,
        createdAt: new Date(h.created_at).toISOString(),
        endedAt: h.ended_at ? new Date(h.ended_at).toISOString() : null,
        lines: lines
          .filter((l) => l.reservation_id === id)
          .map((l) => ({ skuId: l.sku_id, categoryId: l.category_id, parentCategoryId: l.parent_id, name: l.name, spec: specLabel(l.spec), qty: l.qty, retailPriceFen: l.retail_price_fen, memberPriceFen: l.member_price_fen })),
      },
    ];
  });
}


/** A reservation as a member of staff sees it: the customer's phone masked for an assistant (seesFullPhones). */
export function reservationForStaff(view: ReservationView, staff: StaffPrincipal): ReservationView {
  return seesFullPhones(staff) ? view : { ...view, customerPhone: maskPhone(view.customerPhone) };
}
