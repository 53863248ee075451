import type { Kysely } from 'kysely';
import type { DB } from '../_db/schema.js';
import type { Deps } from '../_kernel/deps.js';
import type { StaffPrincipal } from '../_kernel/context.js';
import { AppError } from '../_kernel/errors.js';
import { audit } from '../_audit/index.js';
import { formatFen } from '../../shared/money.js';
import type { ShopStoredValueResponse, StoredValueSettings, StoredValueStatement } from '../../shared/api/stored-value.js';
import { memberCapFen, merchantCapFen } from './caps.js';
import { balanceOf } from './movements.repository.js';
import { listPlans } from './plans.service.js';
import { prepaid_card_anonymous_cap_fen, prepaid_card_registered_cap_fen, stored_value_statement_rows_max } from './limits.js';
import { toBalanceView, toMovementView } from './views.js';

/** A member's balance and their latest movements, newest first. */
export async function statementOf(db: Kysely<DB>, merchantId: string, memberId: string): Promise<StoredValueStatement> {
  const member = await db.selectFrom('members').select('id').where('id', '=', memberId).where('merchant_id', '=', merchantId).executeTakeFirst();
  if (!member) throw new AppError('not_found', `找不到会员 ${memberId}`);
  const [balance, capFen, rows] = await Promise.all([
    balanceOf(db, merchantId, memberId),
    memberCapFen(db, merchantId, memberId),
    db.selectFrom('stored_value_ledger').selectAll().where('merchant_id', '=', merchantId).where('member_id', '=', memberId).orderBy('seq', 'desc').limit(stored_value_statement_rows_max).execute(),
  ]);
  return { balance: toBalanceView(balance, capFen), movements: rows.map(toMovementView) };
}

/** The shopper's 储值 page: the plans on offer and their own statement. */
export async function shopStoredValue(db: Kysely<DB>, merchantId: string, memberId: string): Promise<ShopStoredValueResponse> {
  const [statement, plans] = await Promise.all([statementOf(db, merchantId, memberId), listPlans(db, merchantId, true)]);
  return { ...statement, plans };
}

export async function settingsOf(db: Kysely<DB>, merchantId: string) {
  return { balanceCapFen: await merchantCapFen(db, merchantId), legalCapFen: prepaid_card_registered_cap_fen, anonymousCapFen: prepaid_card_anonymous_cap_fen };
}

/** The owner sets the cap per card, at most the registered card's legal cap. Balances already over a lowered cap stay; only top-ups are refused. */
export async function saveSettings(deps: Deps, owner: StaffPrincipal, input: StoredValueSettings) {
  if (input.balanceCapFen > prepaid_card_registered_cap_fen) {
    throw new AppError('validation_failed', `每张储值卡余额上限不能超过 ${formatFen(prepaid_card_registered_cap_fen)}（单用途预付卡规定，记名卡上限 5000 元）`, [{ path: 'balanceCapFen', message: 'over the legal cap' }]);
  }
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('stored_value_settings')
      .values({ merchant_id: owner.merchantId, balance_cap_fen: input.balanceCapFen, updated_by: owner.staffId, updated_at: deps.clock() })
      .onConflict((oc) => oc.column('merchant_id').doUpdateSet({ balance_cap_fen: input.balanceCapFen, updated_by: owner.staffId, updated_at: deps.clock() }))
      .execute();
    await audit(trx, { merchantId: owner.merchantId, actorId: owner.staffId, action: 'stored_value.settings', subjectId: null, detail: { balanceCapFen: input.balanceCapFen } });
  });
  return settingsOf(deps.db, owner.merchantId);
}
