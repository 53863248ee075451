import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../_db/schema.js';
import { AppError } from '../_kernel/errors.js';
import type { StaffPrincipal } from '../_kernel/context.js';
import { assertStoreAccess } from '../_identity/index.js';
import { ReplayRace, requestHash } from '../_kernel/idempotency.js';
import type { Deps } from '../_kernel/deps.js';
import { businessDate } from '../_kernel/clock.js';
import { skusForSale } from '../_catalog/index.js';
import { audit } from '../_audit/index.js';
import { holdStock, releaseHolds } from '../_stock/index.js';
import { reservationViews } from './reservation-view.js';
import { reservation_pickup_days_max, type CreateReservationRequest, type ReservationView, type ShopReservationRequest } from '../../shared/api/reservations.js';

export const reservations_expire_batch_max = 200;
/**
 * What one shopper may hold from the shop at once: goods held for a
 * reservation are off the shelf for everyone else, so a member (or a script
 * signed in as one) cannot empty a store by reserving it.
 */
export const shop_active_reservations_max = 3;
export const shop_reserved_qty_max = 20;

/** YYYY-MM-DD plus whole days, on the calendar (no time zone involved). */
export function addDays(day: string, days: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

interface Customer {
  channel: 'counter' | 'shop';
  memberId: string | null;
  name: string;
  phone: string;
  by: string | null;
}

interface NewReservation {
  merchantId: string;
  reservationId: string;
  storeId: string;
  pickupBy: string;
  lines: { skuId: string; qty: number }[];
  note: string;
  hash: string;
}

/** A reservation made at the counter, for a member or a walk-in customer. */
export async function createAtCounter(deps: Deps, staff: StaffPrincipal, input: CreateReservationRequest): Promise<{ reservation: ReservationView; replayed: boolean }> {
  await assertStoreAccess(deps.db, staff, input.storeId);
  const r = { merchantId: staff.merchantId, reservationId: input.reservationId, storeId: input.storeId, pickupBy: input.pickupBy, lines: input.lines, note: input.note ?? '', hash: requestHash({ via: 'counter', ...input }) };
  const replay = await findReplay(deps.db, r);
  if (replay) return replay;
  let customer: Customer = { channel: 'counter', memberId: null, name: input.customerName ?? '', phone: input.customerPhone ?? '', by: staff.staffId };
  if (input.memberId) {
    const m = await deps.db.selectFrom('members').select(['id', 'name', 'phone']).where('id', '=', input.memberId).where('merchant_id', '=', staff.merchantId).executeTakeFirst();
    if (!m) throw new AppError('not_found', '找不到这位会员');
    customer = { ...customer, memberId: m.id, name: input.customerName ?? m.name ?? '会员', phone: input.customerPhone ?? m.phone ?? '' };
  }
  return create(deps, r, customer);
}

/** A reservation a signed-in shopper makes for themself at a store of the shop's merchant. */
export async function createInShop(deps: Deps, member: { merchantId: string; memberId: string }, input: ShopReservationRequest): Promise<{ reservation: ReservationView; replayed: boolean }> {
  const store = await deps.db.selectFrom('stores').select('id').where('id', '=', input.storeId).where('merchant_id', '=', member.merchantId).executeTakeFirst();
  if (!store) throw new AppError('not_found', `找不到门店 ${input.storeId}`);
  const r = { merchantId: member.merchantId, reservationId: input.reservationId, storeId: input.storeId, pickupBy: input.pickupBy, lines: input.lines, note: input.note ?? '', hash: requestHash({ via: 'shop', member: member.memberId, ...input }) };
  const replay = await findReplay(deps.db, r);
  if (replay) return replay;
  await checkMemberHolds(deps.db, member, input.lines);
  const m = await deps.db.selectFrom('members').select(['name', 'phone']).where('id', '=', member.memberId).where('merchant_id', '=', member.merchantId).executeTakeFirstOrThrow();
  return create(deps, r, { channel: 'shop', memberId: member.memberId, name: m.name ?? '会员', phone: m.phone ?? '', by: null });
}

/**
 * The caps of one member's active shop reservations, checked before the new
 * one is made. Two reservations sent at the same instant may both pass; the
 * per-member rate limit on the route keeps that overshoot small.
 */
async function checkMemberHolds(db: Kysely<DB>, member: { merchantId: string; memberId: string }, lines: readonly { qty: number }[]): Promise<void> {
  const held = await db
    .selectFrom('customer_reservations as r')
    .leftJoin('customer_reservation_lines as l', 'l.reservation_id', 'r.id')
    .select((eb) => [eb.fn.count<string>('r.id').distinct().as('reservations'), eb.fn.coalesce(eb.fn.sum<string>('l.qty'), eb.lit(0)).as('qty')])
    .where('r.merchant_id', '=', member.merchantId)
    .where('r.member_id', '=', member.memberId)
    .where('r.status', '=', 'active')
    .executeTakeFirstOrThrow();
  if (Number(held.reservations) >= shop_active_reservations_max) {
    throw new AppError('limit_exceeded', `进行中的预约已有 ${Number(held.reservations)} 个，最多 ${shop_active_reservations_max} 个（shop_active_reservations_max），请先取货或取消`);
  }
  const wanted = lines.reduce((sum, l) => sum + l.qty, 0);
  if (Number(held.qty) + wanted > shop_reserved_qty_max) {
    throw new AppError('limit_exceeded', `预约数量合计不能超过 ${shop_reserved_qty_max} 件（shop_reserved_qty_max），已预约 ${Number(held.qty)} 件，本次 ${wanted} 件`);
  }
}

async function create(deps: Deps, r: NewReservation, customer: Customer): Promise<{ reservation: ReservationView; replayed: boolean }> {
  const today = businessDate(deps.clock());
  const latest = addDays(today, reservation_pickup_days_max);
  if (r.pickupBy < today || r.pickupBy > latest) {
    throw new AppError('validation_failed', `取货日期须在 ${today} 至 ${latest} 之间（reservation_pickup_days_max = ${reservation_pickup_days_max} 天）`, [{ path: 'pickupBy', message: 'out of range' }]);
  }
  // Unknown, inactive or another merchant's SKUs are a 400 naming them.
  await skusForSale(deps.db, r.merchantId, r.lines.map((l) => l.skuId));
  try {
    await deps.db.transaction().execute(async (trx) => {
      const inserted = await trx
        .insertInto('customer_reservations')
        .values({
          id: r.reservationId,
          merchant_id: r.merchantId,
          store_id: r.storeId,
          request_hash: r.hash,
          channel: customer.channel,
          member_id: customer.memberId,
          customer_name: customer.name,
          customer_phone: customer.phone,
          pickup_by: r.pickupBy,
          status: 'active',
          note: r.note,
          created_by: customer.by,
        })
        .onConflict((oc) => oc.column('id').doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!inserted) throw new ReplayRace();
      await trx
        .insertInto('customer_reservation_lines')
        .values(r.lines.map((l) => ({ reservation_id: r.reservationId, merchant_id: r.merchantId, sku_id: l.skuId, qty: l.qty })))
        .execute();
      await holdStock(trx, { merchantId: r.merchantId, storeId: r.storeId, reservationId: r.reservationId, lines: r.lines, by: customer.by });
    });
  } catch (e) {
    if (e instanceof ReplayRace) {
      const again = await findReplay(deps.db, r);
      if (again) return again;
    }
    throw e;
  }
  const [view] = await reservationViews(deps.db, r.merchantId, [r.reservationId]);
  return { reservation: view!, replayed: false };
}


async function findReplay(db: Kysely<DB>, r: NewReservation): Promise<{ reservation: ReservationView; replayed: boolean } | null> {
  const existing = await db.selectFrom('customer_reservations').select(['merchant_id', 'request_hash']).where('id', '=', r.reservationId).executeTakeFirst();
  if (!existing) return null;
  if (existing.merchant_id !== r.merchantId || existing.request_hash !== r.hash) {
    throw new AppError('idempotency_mismatch', `预约号 ${r.reservationId} 已用于另一笔不同的预约`);
  }
  const [view] = await reservationViews(db, r.merchantId, [r.reservationId]);
  return { reservation: view!, replayed: true };
}

/** Why a reservation that is not active cannot be picked up or cancelled, in the customer's words. */
const closedReason: Record<string, string> = {
  picked_up: '该预约已取货',
  expired: '该预约已过期，预留的库存已释放',
  cancelled: '该预约已取消',
};

/** Finds a reservation of this merchant (404 otherwise) and checks the caller may act on its store. */
async function loadForAction(db: Kysely<DB> | Transaction<DB>, merchantId: string, reservationId: string) {
  const row = await db.selectFrom('customer_reservations').selectAll().where('id', '=', reservationId).where('merchant_id', '=', merchantId).executeTakeFirst();
  if (!row) throw new AppError('not_found', `找不到预约 ${reservationId}`);
  return row;
}

/**
 * Cancels an active reservation and gives its goods back to the shelf. Staff
 * of the store may cancel any; a shopper only their own. Compare-and-set on
 * the status, so a cancel racing a pickup or the expiry job ends it once.
 */
export async function cancelReservation(deps: Deps, who: { staff: StaffPrincipal } | { memberId: string; merchantId: string }, reservationId: string): Promise<ReservationView> {
  const merchantId = 'staff' in who ? who.staff.merchantId : who.merchantId;
  const row = await loadForAction(deps.db, merchantId, reservationId);
  if ('staff' in who) await assertStoreAccess(deps.db, who.staff, row.store_id);
  else if (row.member_id !== who.memberId) throw new AppError('not_found', `找不到预约 ${reservationId}`);
  const by = 'staff' in who ? who.staff.staffId : null;
  await deps.db.transaction().execute(async (trx) => {
    const ended = await trx
      .updateTable('customer_reservations')
      .set({ status: 'cancelled', ended_at: deps.clock() })
      .where('id', '=', reservationId)
      .where('status', '=', 'active')
      .executeTakeFirst();
    if (ended.numUpdatedRows !== 1n) {
      const now = await loadForAction(trx, merchantId, reservationId);
      throw new AppError('conflict', `${closedReason[now.status] ?? '该预约已结束'}，无法取消`);
    }
    await releaseHolds(trx, { merchantId, storeId: row.store_id, reservationId, by, lines: await reservationLines(trx, reservationId) });
    await audit(trx, { merchantId, actorId: by ?? ('memberId' in who ? who.memberId : null), action: 'reservation.cancel', subjectId: reservationId, detail: { storeId: row.store_id } });
  });
  const [view] = await reservationViews(deps.db, merchantId, [reservationId]);
  return view!;
}

/**
 * Ends a reservation as it is picked up, inside the checkout's transaction and
 * before the sale takes its stock: compare-and-set active → picked_up (only
 * in its own store and while its pickup date has not passed), then its holds
 * go back to available so the sale can take the goods. If the sale fails
 * afterwards, the transaction rolls back and the reservation stays active.
 */
export async function pickUpInCheckout(trx: Transaction<DB>, p: { merchantId: string; storeId: string; reservationId: string; orderId: string; today: string; at: Date; by: string }): Promise<void> {
  const picked = await trx
    .updateTable('customer_reservations')
    .set({ status: 'picked_up', order_id: p.orderId, ended_at: p.at })
    .where('id', '=', p.reservationId)
    .where('merchant_id', '=', p.merchantId)
    .where('store_id', '=', p.storeId)
    .where('status', '=', 'active')
    .where('pickup_by', '>=', p.today)
    .executeTakeFirst();
  if (picked.numUpdatedRows !== 1n) {
    const row = await loadForAction(trx, p.merchantId, p.reservationId);
    if (row.store_id !== p.storeId) throw new AppError('validation_failed', '该预约不在本门店取货');
    if (row.status === 'active') throw new AppError('conflict', `该预约的取货日期 ${row.pickup_by} 已过，预约已失效`);
    throw new AppError('conflict', `${closedReason[row.status] ?? '该预约已结束'}，无法取货`);
  }
  await releaseHolds(trx, { merchantId: p.merchantId, storeId: p.storeId, reservationId: p.reservationId, by: p.by, lines: await reservationLines(trx, p.reservationId) });
}

/**
 * The scheduled job: reservations whose pickup day has passed expire and their
 * holds go back to the shelf, one transaction each, a batch at a time; with a
 * merchant named, only that merchant's (one queue message's share).
 */
export async function expireDue(db: Kysely<DB>, now: Date, merchantId?: string): Promise<{ expired: number }> {
  const today = businessDate(now);
  const due = await db
    .selectFrom('customer_reservations')
    .select(['id', 'merchant_id', 'store_id'])
    .where('status', '=', 'active')
    .where('pickup_by', '<', today)
    .$if(merchantId !== undefined, (q) => q.where('merchant_id', '=', merchantId!))
    .orderBy('pickup_by')
    .limit(reservations_expire_batch_max)
    .execute();
  let expired = 0;
  for (const r of due) {
    await db.transaction().execute(async (trx) => {
      const ended = await trx.updateTable('customer_reservations').set({ status: 'expired', ended_at: now }).where('id', '=', r.id).where('status', '=', 'active').executeTakeFirst();
      if (ended.numUpdatedRows !== 1n) return;
      await releaseHolds(trx, { merchantId: r.merchant_id, storeId: r.store_id, reservationId: r.id, by: null, lines: await reservationLines(trx, r.id) });
      expired++;
    });
  }
  return { expired };
}

/** What a reservation holds, as its lines say: what releasing it gives back. */
async function reservationLines(trx: Transaction<DB>, reservationId: string): Promise<{ skuId: string; qty: number }[]> {
  const rows = await trx.selectFrom('customer_reservation_lines').select(['sku_id', 'qty']).where('reservation_id', '=', reservationId).execute();
  return rows.map((r) => ({ skuId: r.sku_id, qty: r.qty }));
}
