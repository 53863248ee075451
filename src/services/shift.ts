import { yuanToFen, type Fen } from '../../shared/money';
import { countedFen, denominations_fen, type DenominationCount, type DenominationFen } from '../../shared/shifts/cash';
import type { CashMoveKindName } from '../../shared/api/shifts';

/** What the counter calls each kind of cash move. */
export const cash_move_labels: Record<CashMoveKindName, string> = {
  change_fund_in: '补充备用金',
  change_fund_out: '取出备用金',
  petty_cash: '备用金支出',
  bank_deposit: '存银行',
};

/** A yuan amount typed by hand, or null while it is not one (empty, letters, more than two decimals). */
export function typedFen(text: string): Fen | null {
  const t = text.trim();
  if (t === '') return null;
  try {
    const fen = yuanToFen(t);
    return fen < 0 ? null : fen;
  } catch {
    return null;
  }
}

/** The count as typed per denomination (blank is none), in the API's shape and its total. */
export function drawerCount(typed: Partial<Record<DenominationFen, string>>): { counts: DenominationCount[]; totalFen: Fen; invalid: DenominationFen[] } {
  const counts: DenominationCount[] = [];
  const invalid: DenominationFen[] = [];
  for (const d of denominations_fen) {
    const raw = (typed[d] ?? '').trim();
    if (raw === '') continue;
    if (!/^\d{1,5}$/.test(raw)) {
      invalid.push(d);
      continue;
    }
    const count = Number(raw);
    if (count > 0) counts.push({ denominationFen: d, count });
  }
  return { counts, totalFen: countedFen(counts), invalid };
}

/** "短款 ¥2.00" / "长款 ¥1.00" / "相符", as the slip words it. */
export function varianceWords(fen: Fen, format: (f: Fen) => string): string {
  if (fen === 0) return '相符';
  return fen < 0 ? `短款 ${format(-fen)}` : `长款 ${format(fen)}`;
}
