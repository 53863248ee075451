import type { Kysely } from 'kysely';
import type { DB } from '../_db/schema.js';
import type { StaffPrincipal } from '../_kernel/context.js';
import { AppError } from '../_kernel/errors.js';
import { audit } from '../_audit/index.js';
import { newId } from '../../shared/ids.js';
import { formatFen } from '../../shared/money.js';
import type { StoredValuePlanRequest, StoredValuePlanView } from '../../shared/api/stored-value.js';
import { merchantCapFen } from './caps.js';
import { stored_value_active_plans_max } from './limits.js';
import { toPlanView } from './views.js';

export async function listPlans(db: Kysely<DB>, merchantId: string, onlyActive: boolean): Promise<StoredValuePlanView[]> {
  let q = db.selectFrom('stored_value_plans').selectAll().where('merchant_id', '=', merchantId);
  if (onlyActive) q = q.where('status', '=', 'active');
  const rows = await q.orderBy('status').orderBy('pay_fen').orderBy('id').execute();
  return rows.map(toPlanView);
}

/**
 * The owner offers a plan (充 100 送 20). A plan whose one top-up would
 * already pass the card cap could never be bought, so it is refused.
 */
export async function createPlan(db: Kysely<DB>, owner: StaffPrincipal, input: StoredValuePlanRequest, now: Date): Promise<StoredValuePlanView> {
  const cap = await merchantCapFen(db, owner.merchantId);
  if (input.payFen + input.bonusFen > cap) {
    throw new AppError('validation_failed', `充值加赠送 ${formatFen(input.payFen + input.bonusFen)} 超过每张储值卡余额上限 ${formatFen(cap)}`, [{ path: 'payFen', message: 'over the card cap' }]);
  }
  return db.transaction().execute(async (trx) => {
    const active = await trx.selectFrom('stored_value_plans').select((eb) => eb.fn.countAll<number>().as('n')).where('merchant_id', '=', owner.merchantId).where('status', '=', 'active').executeTakeFirstOrThrow();
    if (Number(active.n) >= stored_value_active_plans_max) {
      throw new AppError('limit_exceeded', `进行中的储值方案最多 ${stored_value_active_plans_max} 个（stored_value_active_plans_max），请先停用旧方案`);
    }
    const row = await trx
      .insertInto('stored_value_plans')
      .values({ id: newId('storedValuePlan'), merchant_id: owner.merchantId, name: input.name, pay_fen: input.payFen, bonus_fen: input.bonusFen, created_by: owner.staffId, created_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(trx, { merchantId: owner.merchantId, actorId: owner.staffId, action: 'stored_value.plan_created', subjectId: row.id, detail: { payFen: input.payFen, bonusFen: input.bonusFen } });
    return toPlanView(row);
  });
}

/** Stopping a plan ends new top-ups under it; balances already bought are untouched. Stopping twice is the same stop. */
export async function stopPlan(db: Kysely<DB>, owner: StaffPrincipal, planId: string, now: Date): Promise<StoredValuePlanView> {
  return db.transaction().execute(async (trx) => {
    const plan = await trx.selectFrom('stored_value_plans').selectAll().where('id', '=', planId).where('merchant_id', '=', owner.merchantId).executeTakeFirst();
    if (!plan) throw new AppError('not_found', `找不到储值方案 ${planId}`);
    if (plan.status === 'stopped') return toPlanView(plan);
    const row = await trx.updateTable('stored_value_plans').set({ status: 'stopped', stopped_at: now }).where('id', '=', planId).where('status', '=', 'active').returningAll().executeTakeFirstOrThrow();
    await audit(trx, { merchantId: owner.merchantId, actorId: owner.staffId, action: 'stored_value.plan_stopped', subjectId: planId });
    return toPlanView(row);
  });
}
