import type { StaffPrincipal } from '../_kernel/context.js';
import type { Deps } from '../_kernel/deps.js';
import { audit } from '../_audit/index.js';
import type { ChecklistResponse } from '../../shared/api/onboarding.js';

/**
 * The first-run checklist, read from what exists rather than from ticks:
 * products in the catalog, a second active member of staff, an active payment
 * account, and the store QR opened (the one step only a mark can show).
 */
export async function setupChecklist(deps: Deps, owner: StaffPrincipal): Promise<ChecklistResponse> {
  const db = deps.db;
  const m = owner.merchantId;
  const [product, staff, payment, qr] = await Promise.all([
    db.selectFrom('products').select('id').where('merchant_id', '=', m).limit(1).executeTakeFirst(),
    db.selectFrom('staff').select('id').where('merchant_id', '=', m).where('active', '=', true).limit(2).execute(),
    db.selectFrom('merchant_payment_accounts').select('channel').where('merchant_id', '=', m).where('status', '=', 'active').limit(1).executeTakeFirst(),
    db.selectFrom('merchant_setup_marks').select('step').where('merchant_id', '=', m).where('step', '=', 'store_qr').executeTakeFirst(),
  ]);
  const items: ChecklistResponse['items'] = [
    { step: 'add_products', done: product !== undefined },
    { step: 'invite_staff', done: staff.length > 1 },
    { step: 'payments', done: payment !== undefined },
    { step: 'store_qr', done: qr !== undefined },
  ];
  return { items, allDone: items.every((i) => i.done) };
}

/** Records that the owner opened the store QR to print it; a second mark changes nothing. */
export async function markStoreQr(deps: Deps, owner: StaffPrincipal): Promise<{ ok: true }> {
  await deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('merchant_setup_marks')
      .values({ merchant_id: owner.merchantId, step: 'store_qr', done_by: owner.staffId })
      .onConflict((oc) => oc.columns(['merchant_id', 'step']).doNothing())
      .returning('step')
      .executeTakeFirst();
    if (row) await audit(trx, { merchantId: owner.merchantId, actorId: owner.staffId, action: 'setup.store_qr_opened', subjectId: owner.merchantId });
  });
  return { ok: true };
}
