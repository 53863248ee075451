import { tender_reference_length_max } from '../../shared/api/orders';
import type { Fen } from '../../shared/money';
import { planTenders, type AppliedTenders, type TenderIn } from '../../shared/tenders';
import { yuanInputToFen } from './counter-cart';

/** How the counter takes the money for a bill it charges now (WeChat Pay / Alipay and 赊账 have their own screens). */
export type TenderMode = 'cash' | 'card' | 'ecny' | 'split' | 'stored_value';
/** The tender that pays part of a 组合支付; cash pays the rest. */
export type PartMethod = 'card' | 'ecny';

export interface TenderDraft {
  mode: TenderMode;
  /** The terminal's reference number (刷卡) or the e-CNY transaction number. */
  reference: string;
  partMethod: PartMethod;
  /** 组合支付: what the card or e-CNY pays, as typed in yuan. */
  partText: string;
  /** Cash handed over, as typed in yuan; empty means exactly what is due in cash. */
  receivedText: string;
}

export const emptyTenderDraft: TenderDraft = { mode: 'cash', reference: '', partMethod: 'card', partText: '', receivedText: '' };

export type TenderChoice = { ok: true; tenders: TenderIn[]; totalFen: Fen; withCash: boolean; plan: AppliedTenders } | { ok: false; reason: string };

function referenceOf(method: PartMethod, text: string): { ok: true; reference: string } | { ok: false; reason: string } {
  const reference = text.trim();
  if (reference === '') return { ok: false, reason: method === 'card' ? '请填写刷卡终端上的交易参考号' : '请填写数字人民币的交易编号' };
  if (reference.length > tender_reference_length_max) return { ok: false, reason: `参考号最多 ${tender_reference_length_max} 个字符` };
  return { ok: true, reference };
}

/**
 * The tenders a bill is charged with, checked by the same rules as the
 * server's checkout (shared/tenders.ts). `cashTotalFen` is the bill priced
 * with 抹零 (any cash in it), `nonCashTotalFen` without: card or e-CNY alone
 * pays the exact total, as WeChat Pay and Alipay do.
 */
export function chooseTenders(draft: TenderDraft, totals: { cashTotalFen: Fen; nonCashTotalFen: Fen; storedValueFen?: Fen }): TenderChoice {
  if (draft.mode === 'stored_value') return storedValueTenders(draft, totals);
  if (draft.mode === 'card' || draft.mode === 'ecny') {
    const ref = referenceOf(draft.mode, draft.reference);
    if (!ref.ok) return ref;
    const totalFen = totals.nonCashTotalFen;
    const tenders: TenderIn[] = totalFen > 0 ? [{ method: draft.mode, amountFen: totalFen, reference: ref.reference }] : [];
    return checked(totalFen, tenders, false);
  }
  const totalFen = totals.cashTotalFen;
  const partFen = draft.mode === 'split' ? yuanInputToFen(draft.partText) : 0;
  if (partFen === null || (draft.mode === 'split' && partFen <= 0)) return { ok: false, reason: `请填写${draft.partMethod === 'card' ? '刷卡' : '数字人民币'}金额` };
  const dueInCash = totalFen - partFen;
  const receivedFen = draft.receivedText.trim() === '' ? dueInCash : yuanInputToFen(draft.receivedText);
  if (receivedFen === null) return { ok: false, reason: '现金金额格式不对' };
  const tenders: TenderIn[] = [];
  if (draft.mode === 'split') {
    const ref = referenceOf(draft.partMethod, draft.reference);
    if (!ref.ok) return ref;
    tenders.push({ method: draft.partMethod, amountFen: partFen, reference: ref.reference });
  }
  if (totalFen > 0 && receivedFen > 0) tenders.push({ method: 'cash', amountFen: receivedFen });
  // A split with nothing left in cash is a card or e-CNY sale, which is priced without 抹零: choose that instead.
  if (draft.mode === 'split' && partFen >= totalFen) return { ok: false, reason: `${draft.partMethod === 'card' ? '刷卡' : '数字人民币'}已够付全额，请直接选「${draft.partMethod === 'card' ? '银行卡' : '数字人民币'}」` };
  return checked(totalFen, tenders, true);
}

/**
 * 储值 (#17): the member's balance pays the exact total when it covers it
 * (no 抹零, as for a card); otherwise it pays what it holds and cash pays the
 * rest of the cash total. The server draws the balance under a lock, so a
 * balance spent elsewhere meanwhile is refused there, not here.
 */
function storedValueTenders(draft: TenderDraft, totals: { cashTotalFen: Fen; nonCashTotalFen: Fen; storedValueFen?: Fen }): TenderChoice {
  const balance = totals.storedValueFen ?? 0;
  if (balance <= 0) return { ok: false, reason: '这位会员没有储值余额' };
  if (balance >= totals.nonCashTotalFen) return checked(totals.nonCashTotalFen, totals.nonCashTotalFen > 0 ? [{ method: 'stored_value', amountFen: totals.nonCashTotalFen }] : [], false);
  const dueInCash = totals.cashTotalFen - balance;
  const receivedFen = draft.receivedText.trim() === '' ? dueInCash : yuanInputToFen(draft.receivedText);
  if (receivedFen === null) return { ok: false, reason: '现金金额格式不对' };
  return checked(totals.cashTotalFen, [{ method: 'stored_value', amountFen: balance }, ...(dueInCash > 0 ? [{ method: 'cash' as const, amountFen: receivedFen }] : [])], true);
}

function checked(totalFen: Fen, tenders: TenderIn[], withCash: boolean): TenderChoice {
  const plan = planTenders(totalFen, tenders);
  if (!plan.ok) return plan;
  return { ok: true, tenders, totalFen, withCash, plan };
}

/**
 * What the customer owes in the chosen mode: card or e-CNY alone is charged
 * exactly (no 抹零), anything with cash in it the cash total. The bottom bar
 * and the sheet's 应收 show this one figure.
 */
export function dueFenOf(mode: TenderMode, cashTotalFen: Fen, nonCashTotalFen: Fen | null, storedValueFen = 0): Fen {
  if (mode === 'stored_value' && nonCashTotalFen !== null && storedValueFen >= nonCashTotalFen) return nonCashTotalFen;
  return mode === 'card' || mode === 'ecny' ? (nonCashTotalFen ?? cashTotalFen) : cashTotalFen;
}
