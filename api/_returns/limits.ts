import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../_db/schema.js';
import type { Role } from '../_kernel/context.js';

export interface ReturnLimit {
  role: Role;
  perReturnFen: number;
  perDayFen: number;
}

/** Until an owner sets their own: an assistant handles small returns alone, a manager larger ones, an owner any. */
export const default_return_limits: Record<Role, ReturnLimit> = {
  assistant: { role: 'assistant', perReturnFen: 200_00, perDayFen: 500_00 },
  manager: { role: 'manager', perReturnFen: 2_000_00, perDayFen: 10_000_00 },
  owner: { role: 'owner', perReturnFen: Number.MAX_SAFE_INTEGER, perDayFen: Number.MAX_SAFE_INTEGER },
};

export async function returnLimits(db: Kysely<DB> | Transaction<DB>, merchantId: string): Promise<Record<Role, ReturnLimit>> {
  const rows = await db.selectFrom('return_limits').selectAll().where('merchant_id', '=', merchantId).execute();
  const limits = { ...default_return_limits };
  for (const r of rows) limits[r.role] = { role: r.role, perReturnFen: r.per_return_fen, perDayFen: r.per_day_fen };
  return limits;
}

export async function setReturnLimits(db: Kysely<DB>, merchantId: string, items: ReturnLimit[]): Promise<void> {
  await db
    .insertInto('return_limits')
    .values(items.map((i) => ({ merchant_id: merchantId, role: i.role, per_return_fen: i.perReturnFen, per_day_fen: i.perDayFen })))
    .onConflict((oc) => oc.columns(['merchant_id', 'role']).doUpdateSet((eb) => ({ per_return_fen: eb.ref('excluded.per_return_fen'), per_day_fen: eb.ref('excluded.per_day_fen') })))
    .execute();
}
