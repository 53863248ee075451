import type { Kysely } from 'kysely';
import type { DB } from '../_db/schema.js';
import type { StaffPrincipal } from '../_kernel/context.js';
import { assertStoreAccess } from '../_identity/index.js';
import { pointsBalance } from '../_members/index.js';
import { maskPhone } from '../_members/index.js';
import { receiptModel, type Receipt } from '../../shared/receipt/model.js';
import { lineLevelKinds, tenderLabels } from './labels.js';
import { orderViewById } from './order-view.js';
import { AppError } from '../_kernel/errors.js';
import type { OrderView } from '../../shared/api/orders.js';
import type { PublicReceiptResponse } from '../../shared/api/pickup.js';
import { receiptLinkUrl } from '../../shared/receipt/link.js';

export const receipt_footer_default = '谢谢惠顾，欢迎再次光临';

/**
 * Builds the receipt of an order from its stored rows. Line discounts stay on
 * their line; bundles, 满减, order discounts, points and 抹零 print once at
 * the order level, so the receipt reads as the customer was told.
 */
export async function receiptForOrder(db: Kysely<DB>, staff: StaffPrincipal, orderId: string, publicBaseUrl: string): Promise<Receipt> {
  const order = await orderViewById(db, staff.merchantId, orderId);
  await assertStoreAccess(db, staff, order.storeId);
  return receiptOf(db, order, publicBaseUrl);
}

/**
 * The shopper's receipt, found by the token its QR carries and nothing else:
 * anyone holding the printed receipt may see it, nobody can list others'.
 * Only paid orders have a page; a refunded one still shows what was paid.
 */
export async function publicReceipt(db: Kysely<DB>, token: string, publicBaseUrl: string): Promise<PublicReceiptResponse> {
  const row = await db.selectFrom('orders').select(['id', 'merchant_id', 'status', 'pickup_code', 'table_no', 'handed_over_at']).where('receipt_token', '=', token).executeTakeFirst();
  if (!row || row.status === 'open' || row.status === 'cancelled') throw new AppError('not_found', '找不到这张小票，请向店员确认');
  const order = await orderViewById(db, row.merchant_id, row.id);
  return {
    receipt: await receiptOf(db, order, publicBaseUrl),
    pickup: row.pickup_code ? { code: row.pickup_code, tableNo: row.table_no, handedOverAt: row.handed_over_at ? new Date(row.handed_over_at).toISOString() : null } : null,
  };
}

export async function receiptOf(db: Kysely<DB>, order: OrderView, publicBaseUrl: string): Promise<Receipt> {
  const orderId = order.id;
  const store = await db.selectFrom('stores').select(['name', 'address', 'receipt_header', 'receipt_footer']).where('id', '=', order.storeId).executeTakeFirstOrThrow();
  const assistant = order.staffId ? await db.selectFrom('staff').select('name').where('id', '=', order.staffId).executeTakeFirst() : undefined;
  const member = order.memberId ? await db.selectFrom('members').select(['name', 'phone', 'level']).where('id', '=', order.memberId).executeTakeFirst() : undefined;
  const offlineNo = order.offline ? ((await db.selectFrom('orders').select('pricing').where('id', '=', orderId).executeTakeFirstOrThrow()).pricing as { offlineReceiptNo?: string } | null)?.offlineReceiptNo : undefined;
  const lines = order.lines.map((l) => {
    const own = l.adjustments.filter((a) => lineLevelKinds.has(a.kind as never));
    return {
      name: l.name,
      spec: l.spec,
      qty: l.qty,
      unitFen: l.unitListFen,
      listFen: l.listFen,
      netFen: l.listFen - own.reduce((s, a) => s + a.fen, 0),
      adjustments: own.map((a) => ({ label: a.label, fen: -a.fen })),
    };
  });
  const maskedPhone = member ? maskPhone(member.phone) : null;
  return receiptModel.parse({
    storeName: store.name,
    storeAddress: store.address,
    receiptNo: order.receiptNo,
    orderId: order.id,
    paidAt: order.createdAt,
    assistantName: assistant?.name ?? '自助',
    ...(order.pickupCode ? { pickupCode: order.pickupCode } : {}),
    ...(order.tableNo ? { tableNo: order.tableNo } : {}),
    ...(member && maskedPhone ? { member: { name: member.name ?? '会员', phoneMasked: maskedPhone, level: member.level } } : {}),
    lines,
    orderAdjustments: order.adjustments.map((a) => ({ label: a.label, fen: -a.fen })),
    subtotalFen: order.subtotalListFen,
    discountFen: order.discountFen,
    totalFen: order.totalFen,
    tenders: order.tenders.map((t) => ({ label: tenderLabels[t.method] ?? t.method, fen: t.amountFen })),
    ...(order.cashReceivedFen !== null && order.changeFen !== null && order.cashReceivedFen > 0 ? { cashReceivedFen: order.cashReceivedFen, changeFen: order.changeFen } : {}),
    ...(order.memberId ? { pointsEarned: order.pointsEarned, pointsBalance: await pointsBalance(db, order.memberId) } : {}),
    ...(offlineNo ? { offline: { deviceReceiptNo: offlineNo.slice(0, 32) } } : {}),
    ...(store.receipt_header !== '' ? { header: store.receipt_header } : {}),
    footer: store.receipt_footer !== '' ? store.receipt_footer : receipt_footer_default,
    // Orders paid before receipt tokens existed, and offline sales not yet synced, keep the bare id.
    qr: order.receiptToken ? receiptLinkUrl(publicBaseUrl, order.receiptToken) : `ORDER:${order.id}`,
  });
}
