import type { Selectable } from 'kysely';
import type { DB } from '../_db/schema.js';
import type { StoredValueBalance, StoredValueMovementView, StoredValuePlanView } from '../../shared/api/stored-value.js';
import type { Balance } from './movements.repository.js';

export function toPlanView(p: Selectable<DB['stored_value_plans']>): StoredValuePlanView {
  return { id: p.id, name: p.name, payFen: Number(p.pay_fen), bonusFen: Number(p.bonus_fen), status: p.status, createdAt: p.created_at.toISOString() };
}

export function toBalanceView(b: Balance, capFen: number): StoredValueBalance {
  return { principalFen: b.principalFen, bonusFen: b.bonusFen, totalFen: b.principalFen + b.bonusFen, capFen };
}

export function toMovementView(r: Selectable<DB['stored_value_ledger']>): StoredValueMovementView {
  return {
    id: r.id,
    kind: r.kind,
    principalDeltaFen: Number(r.principal_delta_fen),
    bonusDeltaFen: Number(r.bonus_delta_fen),
    principalAfterFen: Number(r.principal_after_fen),
    bonusAfterFen: Number(r.bonus_after_fen),
    orderId: r.order_id,
    refId: r.ref_id,
    createdAt: r.created_at.toISOString(),
  };
}
