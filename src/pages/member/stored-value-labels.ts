import type { StoredValueMovementView } from '../../../shared/api/stored-value';
import { formatFen } from '../../../shared/money';

/** Each movement as the member's statement names it. */
export const movementLabels: Readonly<Record<StoredValueMovementView['kind'], string>> = {
  top_up: '充值',
  spend: '消费',
  return: '退回储值',
  refund: '退款（本金）',
  forfeit: '赠送额作废',
  move_out: '合并转出',
  move_in: '合并转入',
};

/** A signed amount: principal and bonus together, with the bonus named when it moved. */
export function movementAmount(m: StoredValueMovementView): string {
  const total = m.principalDeltaFen + m.bonusDeltaFen;
  const sign = total > 0 ? '+' : total < 0 ? '−' : '';
  const bonus = m.bonusDeltaFen !== 0 ? `（含赠送 ${formatFen(Math.abs(m.bonusDeltaFen))}）` : '';
  return `${sign}${formatFen(Math.abs(total))}${bonus}`;
}
