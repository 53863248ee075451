import type { Deps } from '../_kernel/deps.js';
import type { StaffPrincipal } from '../_kernel/context.js';
import { AppError } from '../_kernel/errors.js';
import { requestHash } from '../_kernel/idempotency.js';
import { assertStoreAccess } from '../_identity/index.js';
import { audit } from '../_audit/index.js';
import { formatFen } from '../../shared/money.js';
import type { StoredValueRefundRequest, StoredValueRefundResponse } from '../../shared/api/stored-value.js';
import { memberCapFen } from './caps.js';
import { balanceOf, postMovement } from './movements.repository.js';
import { queueBalanceNotice } from './notice.js';
import { sendMessagesSoon } from '../_messages/index.js';
import { postRefund } from './journal.js';
import { prepaid_card_surrender_cash_max_fen } from './limits.js';
import { toBalanceView } from './views.js';

/**
 * The owner pays a member back their unused principal (退卡): all of it, in
 * one movement, and the bonus is forfeited in a second movement of its own,
 * so the statement shows both. Under the surrender rule of the prepaid card
 * rules, up to 100 yuan may be paid in cash; more goes to the holder's own
 * bank account, whose transfer reference is recorded.
 */
export async function refundPrincipal(deps: Deps, owner: StaffPrincipal, memberId: string, input: StoredValueRefundRequest): Promise<StoredValueRefundResponse> {
  await assertStoreAccess(deps.db, owner, input.storeId);
  const hash = requestHash({ memberId, ...input });
  const existing = await deps.db.selectFrom('stored_value_refunds').selectAll().where('id', '=', input.clientRefundId).executeTakeFirst();
  if (existing && (existing.merchant_id !== owner.merchantId || existing.request_hash !== hash)) throw new AppError('idempotency_mismatch', `退款号 ${input.clientRefundId} 已用于另一笔退款`);
  const member = await deps.db.selectFrom('members').select('id').where('id', '=', memberId).where('merchant_id', '=', owner.merchantId).executeTakeFirst();
  if (!member) throw new AppError('not_found', `找不到会员 ${memberId}`);
  const now = deps.clock();
  if (!existing) {
    await deps.db.transaction().execute(async (trx) => {
      let principal = 0;
      let bonus = 0;
      const moved = await postMovement(trx, {
        merchantId: owner.merchantId,
        memberId,
        kind: 'refund',
        storeId: input.storeId,
        refId: input.clientRefundId,
        idempotencyKey: `refund:${input.clientRefundId}`,
        createdBy: owner.staffId,
        at: now,
        deltas: (locked) => {
          principal = locked.principalFen;
          bonus = locked.bonusFen;
          if (principal === 0) throw new AppError('invalid_state', '这位会员没有可退的储值本金', [{ path: 'memberId', message: 'no principal' }]);
          if (input.method === 'cash' && principal > prepaid_card_surrender_cash_max_fen) {
            throw new AppError('validation_failed', `储值本金 ${formatFen(principal)} 超过 ${formatFen(prepaid_card_surrender_cash_max_fen)}：单用途预付卡退卡超过 100 元须转入持卡人本人银行账户，请选择银行转账并填写转账凭证号`, [{ path: 'method', message: 'over the cash limit' }]);
          }
          if (input.method === 'bank' && !input.reference) throw new AppError('validation_failed', '银行转账退款须填写转账凭证号', [{ path: 'reference', message: 'required' }]);
          return { principalFen: -principal, bonusFen: 0 };
        },
      });
      // A twin of this request committed first: its rows are the answer.
      if (!moved.created) return;
      const forfeited = bonus > 0
        ? await postMovement(trx, { merchantId: owner.merchantId, memberId, kind: 'forfeit', storeId: input.storeId, refId: input.clientRefundId, idempotencyKey: `forfeit:${input.clientRefundId}`, createdBy: owner.staffId, at: now, deltas: () => ({ principalFen: 0, bonusFen: -bonus }) })
        : null;
      // One message for the card's surrender: the principal paid back and the bonus forfeited are one event to the member.
      await queueBalanceNotice(trx, { merchantId: owner.merchantId, memberId, kind: 'refund', ref: input.clientRefundId, deltaFen: -(principal + bonus), balance: forfeited?.balance ?? moved.balance, at: now });
      await trx
        .insertInto('stored_value_refunds')
        .values({ id: input.clientRefundId, merchant_id: owner.merchantId, store_id: input.storeId, member_id: memberId, principal_fen: principal, bonus_forfeited_fen: bonus, method: input.method, reference: input.reference ?? null, note: input.note, request_hash: hash, created_by: owner.staffId, created_at: now })
        .execute();
      await postRefund(trx, { merchantId: owner.merchantId, storeId: input.storeId, at: now, refundId: input.clientRefundId, method: input.method, principalFen: principal });
      await audit(trx, { merchantId: owner.merchantId, actorId: owner.staffId, action: 'stored_value.refund', subjectId: input.clientRefundId, detail: { memberId, principalFen: principal, bonusForfeitedFen: bonus, method: input.method } });
    });
    // The surrender queued the member's 储值变动 message: send it now rather than at the next sweep.
    sendMessagesSoon(deps, owner.merchantId);
  }
  const r = await deps.db.selectFrom('stored_value_refunds').selectAll().where('id', '=', input.clientRefundId).executeTakeFirstOrThrow();
  const [balance, capFen] = await Promise.all([balanceOf(deps.db, owner.merchantId, memberId), memberCapFen(deps.db, owner.merchantId, memberId)]);
  return {
    refund: { id: r.id, principalFen: Number(r.principal_fen), bonusForfeitedFen: Number(r.bonus_forfeited_fen), method: r.method, createdAt: r.created_at.toISOString() },
    balance: toBalanceView(balance, capFen),
    replayed: existing !== undefined,
  };
}
