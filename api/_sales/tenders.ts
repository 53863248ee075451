import { AppError } from '../_kernel/errors.js';
import { planTenders, type AppliedTenders, type TenderIn } from '../../shared/tenders.js';

export type { AppliedTenders, TenderIn } from '../../shared/tenders.js';

/**
 * Splits the total across the tenders by the rules the counter screen also
 * checks (shared/tenders.ts), refusing what breaks them with its reason.
 */
export function applyTenders(totalFen: number, tenders: TenderIn[]): AppliedTenders {
  const plan = planTenders(totalFen, tenders);
  if (!plan.ok) throw new AppError('validation_failed', plan.reason);
  return { applied: plan.applied, cashReceivedFen: plan.cashReceivedFen, changeFen: plan.changeFen };
}
