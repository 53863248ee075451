import type { Kysely, Selectable, Transaction } from 'kysely';
import type { DB } from '../_db/schema.js';
import type { Deps } from '../_kernel/deps.js';
import type { StaffPrincipal } from '../_kernel/context.js';
import { AppError } from '../_kernel/errors.js';
import { businessDate } from '../_kernel/clock.js';
import { assertStoreAccess } from '../_identity/index.js';
import { audit } from '../_audit/index.js';
import type { HandoverRequest, HandoverResponse, PickupOrder, PickupsResponse } from '../../shared/api/pickup.js';
import type { PickupReadyResponse } from '../../shared/api/pickup.js';
import { pickupReadyData, queueMemberMessage, sendMessagesSoon } from '../_messages/index.js';

/** The longest list the counter's pickup screen shows; the badge still counts them all. */
export const pickup_list_rows_max = 50;
/** Goods named in a waiting order's one-line summary before "等 N 件". */
export const pickup_summary_lines_max = 3;

type Db = Kysely<DB> | Transaction<DB>;
type WaitingRow = Pick<Selectable<DB['orders']>, 'id' | 'pickup_code' | 'table_no' | 'receipt_no' | 'total_fen' | 'paid_at' | 'handed_over_at'>;

async function toPickupOrders(db: Db, rows: WaitingRow[]): Promise<PickupOrder[]> {
  if (rows.length === 0) return [];
  const lines = await db
    .selectFrom('order_lines')
    .select(['order_id', 'product_name', 'qty'])
    .where(
      'order_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('order_id')
    .orderBy('line_index')
    .execute();
  return rows.map((r) => {
    const own = lines.filter((l) => l.order_id === r.id);
    const itemCount = own.reduce((s, l) => s + l.qty, 0);
    const named = own.slice(0, pickup_summary_lines_max).map((l) => `${l.product_name}×${l.qty}`);
    return {
      orderId: r.id,
      pickupCode: r.pickup_code ?? '',
      tableNo: r.table_no,
      receiptNo: r.receipt_no ?? '',
      totalFen: r.total_fen,
      paidAt: r.paid_at ? new Date(r.paid_at).toISOString() : '',
      itemCount,
      summary: own.length > pickup_summary_lines_max ? `${named.join('、')} 等 ${itemCount} 件` : named.join('、'),
      handedOverAt: r.handed_over_at ? new Date(r.handed_over_at).toISOString() : null,
    };
  });
}

/**
 * The store's paid shop orders of today not yet handed over, oldest first,
 * with their count for the counter's badge. Pickup codes are unique within
 * a business day, so the counter works within today's.
 */
export async function waitingPickups(deps: Deps, staff: StaffPrincipal, storeId: string): Promise<PickupsResponse> {
  await assertStoreAccess(deps.db, staff, storeId);
  const day = businessDate(deps.clock());
  const base = deps.db
    .selectFrom('orders')
    .where('merchant_id', '=', staff.merchantId)
    .where('store_id', '=', storeId)
    .where('business_date', '=', day)
    .where('pickup_code', 'is not', null)
    .where('handed_over_at', 'is', null)
    .where('status', '=', 'paid');
  const [rows, total] = await Promise.all([
    base.select(['id', 'pickup_code', 'table_no', 'receipt_no', 'total_fen', 'paid_at', 'handed_over_at']).orderBy('paid_at').limit(pickup_list_rows_max).execute(),
    base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { waiting: await toPickupOrders(deps.db, rows), count: Number(total.n) };
}

function refusalFor(row: Pick<Selectable<DB['orders']>, 'status' | 'handed_over_at'>): AppError | null {
  if (row.handed_over_at) {
    const at = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(row.handed_over_at));
    return new AppError('conflict', `该订单已于 ${at} 交货，不能重复交货`);
  }
  if (row.status !== 'paid') return new AppError('invalid_state', row.status === 'open' ? '订单尚未付款，不能交货' : '订单已退款或取消，不能交货');
  return null;
}

/**
 * Hands a paid shop order over against its pickup code: compare-and-set of
 * `handed_over_at` from null, under the device's key, audited in the same
 * transaction. The same key again answers as the first time; any other
 * attempt on an order already handed over is refused with when it was.
 */
export async function handOver(deps: Deps, staff: StaffPrincipal, storeId: string, input: HandoverRequest): Promise<HandoverResponse> {
  await assertStoreAccess(deps.db, staff, storeId);
  const now = deps.clock();
  const day = businessDate(now);
  return deps.db.transaction().execute(async (trx) => {
    const found = await trx
      .selectFrom('orders')
      .select(['id', 'status', 'handed_over_at', 'handover_key'])
      .where('merchant_id', '=', staff.merchantId)
      .where('store_id', '=', storeId)
      .where('business_date', '=', day)
      .where('pickup_code', '=', input.code)
      .executeTakeFirst();
    if (!found) throw new AppError('not_found', `今天本店没有取货码 ${input.code} 的订单，请核对顾客手机上的取货码`);
    const columns = ['id', 'pickup_code', 'table_no', 'receipt_no', 'total_fen', 'paid_at', 'handed_over_at'] as const;
    if (found.handover_key === input.handoverKey) {
      const again = await trx.selectFrom('orders').select(columns).where('id', '=', found.id).executeTakeFirstOrThrow();
      return { order: (await toPickupOrders(trx, [again]))[0]!, replayed: true };
    }
    const refused = refusalFor(found);
    if (refused) throw refused;
    const won = await trx
      .updateTable('orders')
      .set({ handed_over_at: now, handed_over_by: staff.staffId, handover_key: input.handoverKey })
      .where('id', '=', found.id)
      .where('handed_over_at', 'is', null)
      .where('status', '=', 'paid')
      .returning(columns)
      .executeTakeFirst();
    if (!won) {
      // Another assistant handed it over between our read and our write.
      const now2 = await trx.selectFrom('orders').select(['status', 'handed_over_at']).where('id', '=', found.id).executeTakeFirstOrThrow();
      throw refusalFor(now2) ?? new AppError('conflict', '订单状态已变化，请刷新后重试');
    }
    await audit(trx, { merchantId: staff.merchantId, actorId: staff.staffId, action: 'order.handed_over', subjectId: found.id, detail: { storeId, pickupCode: input.code, handoverKey: input.handoverKey } });
    return { order: (await toPickupOrders(trx, [won]))[0]!, replayed: false };
  });
}

/**
 * 通知取货 (#17): today's paid, not yet handed over shop order with this
 * pickup code; its member (if any) is sent a pickup_ready message, once per
 * order (the order id is the message's key, so pressing again changes
 * nothing), and only with the member's consent.
 */
export async function announcePickup(deps: Deps, staff: StaffPrincipal, storeId: string, input: { code: string }): Promise<PickupReadyResponse> {
  await assertStoreAccess(deps.db, staff, storeId);
  const now = deps.clock();
  const day = businessDate(now);
  const result = await deps.db.transaction().execute(async (trx) => {
    const columns = ['id', 'pickup_code', 'table_no', 'receipt_no', 'total_fen', 'paid_at', 'handed_over_at', 'status', 'member_id'] as const;
    const found = await trx
      .selectFrom('orders')
      .select(columns)
      .where('merchant_id', '=', staff.merchantId)
      .where('store_id', '=', storeId)
      .where('business_date', '=', day)
      .where('pickup_code', '=', input.code)
      .executeTakeFirst();
    if (!found) throw new AppError('not_found', `今天本店没有取货码 ${input.code} 的订单，请核对顾客手机上的取货码`);
    const refused = refusalFor(found);
    if (refused) throw refused;
    const order = (await toPickupOrders(trx, [found]))[0]!;
    if (!found.member_id) return { order, message: null };
    const store = await trx.selectFrom('stores').select('name').where('id', '=', storeId).executeTakeFirstOrThrow();
    const data = pickupReadyData({ pickupCode: order.pickupCode, storeName: store.name, goods: order.summary, at: found.paid_at ? new Date(found.paid_at) : now });
    const queued = await queueMemberMessage(trx, { merchantId: staff.merchantId, memberId: found.member_id, topic: 'pickup_ready', data, idempotencyKey: `pickup_ready:${found.id}`, now });
    return { order, message: { id: queued.messageId, status: queued.status, replayed: queued.replayed } };
  });
  if (result.message?.status === 'queued') sendMessagesSoon(deps, staff.merchantId);
  return result;
}
