import { randomInt } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../_db/schema.js';
import { AppError } from '../_kernel/errors.js';
import type { StaffPrincipal } from '../_kernel/context.js';
import { assertStoreAccess } from '../_identity/index.js';
import { audit } from '../_audit/index.js';
import { newId } from '../../shared/ids.js';
import { fenToYuan } from '../../shared/money.js';
import { discount_approval_minutes, discount_limits_default } from '../../shared/api/discounts.js';
import { handDiscountOver, type HandDiscount, type HandDiscountLimit } from '../../shared/pricing/hand-discount.js';
import type { Role } from '../../shared/api/common.js';

type Db = Kysely<DB> | Transaction<DB>;
const roles: Role[] = ['assistant', 'manager', 'owner'];
/** A fresh code that collides with an unused one in the store is drawn again, at most this many times. */
const approval_code_draws_max = 5;

export async function discountLimits(db: Db, merchantId: string): Promise<Record<Role, HandDiscountLimit>> {
  const rows = await db.selectFrom('discount_limits').selectAll().where('merchant_id', '=', merchantId).execute();
  const set = new Map(rows.map((r) => [r.role, { lineBpMax: r.line_bp_max, orderBpMax: r.order_bp_max, totalFenMax: Number(r.total_fen_max) }]));
  return Object.fromEntries(roles.map((r) => [r, set.get(r) ?? discount_limits_default[r]])) as Record<Role, HandDiscountLimit>;
}

/** The owner sets what each role may take off by hand; the change and what it replaced are audited. */
export async function saveDiscountLimits(db: Kysely<DB>, staff: StaffPrincipal, limits: ({ role: Role } & HandDiscountLimit)[]) {
  await db.transaction().execute(async (trx) => {
    const before = await discountLimits(trx, staff.merchantId);
    for (const l of limits) {
      const row = { line_bp_max: l.lineBpMax, order_bp_max: l.orderBpMax, total_fen_max: l.totalFenMax, updated_by: staff.staffId, updated_at: new Date() };
      await trx
        .insertInto('discount_limits')
        .values({ merchant_id: staff.merchantId, role: l.role, ...row })
        .onConflict((oc) => oc.columns(['merchant_id', 'role']).doUpdateSet(row))
        .execute();
    }
    await audit(trx, { merchantId: staff.merchantId, actorId: staff.staffId, action: 'discount.limits_changed', subjectId: staff.merchantId, detail: { before, after: limits } });
  });
  return discountLimits(db, staff.merchantId);
}

/** A manager's six-digit code allowing one sale in one store to take off up to maxFen by hand, for a few minutes. */
export async function approveDiscount(db: Kysely<DB>, staff: StaffPrincipal, input: { storeId: string; maxFen: number; note: string }, now: Date) {
  await assertStoreAccess(db, staff, input.storeId);
  const expiresAt = new Date(now.getTime() + discount_approval_minutes * 60_000);
  for (let draw = 0; draw < approval_code_draws_max; draw++) {
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const id = newId('discountApproval');
    const made = await db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('discount_approvals')
        .values({ id, merchant_id: staff.merchantId, store_id: input.storeId, code, approved_by: staff.staffId, max_fen: input.maxFen, note: input.note, expires_at: expiresAt })
        .onConflict((oc) => oc.columns(['store_id', 'code']).where('used_at', 'is', null).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (row) await audit(trx, { merchantId: staff.merchantId, actorId: staff.staffId, action: 'discount.approval_created', subjectId: id, detail: { storeId: input.storeId, maxFen: input.maxFen, note: input.note, expiresAt: expiresAt.toISOString() } });
      return row !== undefined;
    });
    if (made) return { code, maxFen: input.maxFen, expiresAt: expiresAt.toISOString(), approvedBy: staff.name };
  }
  throw new AppError('conflict', '审批码暂时生成失败，请重试');
}

/** The reasons the assistant typed for a sale's hand discounts, for the audit log. */
export function handDiscountReasons(input: { lines: { discount?: { reason: string } | undefined }[]; orderDiscount?: { reason: string } | undefined }): string[] {
  return [...input.lines.flatMap((l) => (l.discount ? [l.discount.reason] : [])), ...(input.orderDiscount ? [input.orderDiscount.reason] : [])];
}

const over_words = { line: '单品折扣', order: '整单折扣', total: '改价总额' } as const;

/**
 * In the sale's transaction: a hand discount within the seller's limits is
 * audited as it is; above them it needs a manager's unused, unexpired code
 * for this store covering the amount, which this sale then uses up. An
 * offline sale has already happened, so it is kept and audited as over the
 * limit for the owner to see.
 */
export async function checkHandDiscount(trx: Transaction<DB>, s: { staff: StaffPrincipal; storeId: string; orderId: string; hand: HandDiscount; code: string | undefined; offline: boolean; now: Date; reasons: string[] }): Promise<void> {
  if (s.hand.totalFen === 0) return;
  const limit = (await discountLimits(trx, s.staff.merchantId))[s.staff.role];
  const over = handDiscountOver(s.hand, limit);
  let approvedBy: string | null = null;
  if (over.length > 0 && !s.offline) {
    if (!s.code) {
      throw new AppError('discount_limit_exceeded', `超出你的改价权限（${over.map((o) => over_words[o]).join('、')}）：单品最多减 ${limit.lineBpMax / 100}%、整单最多减 ${limit.orderBpMax / 100}%，合计最多 ￥${fenToYuan(limit.totalFenMax)}；请店长给审批码`, [{ path: 'discountApprovalCode', message: 'required' }]);
    }
    const used = await trx
      .updateTable('discount_approvals')
      .set({ used_by_order: s.orderId, used_at: s.now })
      .where('store_id', '=', s.storeId)
      .where('merchant_id', '=', s.staff.merchantId)
      .where('code', '=', s.code)
      .where('used_at', 'is', null)
      .where('expires_at', '>', s.now)
      .where('max_fen', '>=', s.hand.totalFen)
      .returning(['id', 'approved_by'])
      .executeTakeFirst();
    if (!used) throw new AppError('discount_limit_exceeded', `审批码 ${s.code} 无效：已使用、已过期、金额不够或不是本店的，请店长重新审批`, [{ path: 'discountApprovalCode', message: 'invalid' }]);
    approvedBy = used.approved_by;
  }
  await audit(trx, { merchantId: s.staff.merchantId, actorId: s.staff.staffId, action: 'sale.hand_discount', subjectId: s.orderId, detail: { ...s.hand, reasons: s.reasons, role: s.staff.role, over, approvedBy, offline: s.offline } });
}
