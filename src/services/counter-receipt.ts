import type { MemberCard } from '../../shared/api/members';
import type { Fen } from '../../shared/money';
import type { PricingResult } from '../../shared/pricing/types';
import type { Receipt } from '../../shared/receipt/model';
import { tenderLabels } from '../../shared/tender-labels';
import type { AppliedTenders } from '../../shared/tenders';
import { adjustmentLabel, line_level_kinds, type CounterBill } from './counter-cart';

/** The receipt model's label limit: longer rule names are cut. */
const label_chars_max = 32;

export interface OfflineReceiptInput {
  bill: CounterBill;
  result: PricingResult;
  ruleNames: ReadonlyMap<string, string>;
  storeName: string;
  storeAddress: string;
  assistantName: string;
  member: MemberCard | null;
  deviceReceiptNo: string;
  orderId: string;
  billedAt: string;
  cashReceivedFen: Fen;
  /** The tenders as planned (shared/tenders.ts); without them the whole total was cash. */
  tenders?: AppliedTenders;
}

/**
 * The 离线单 as the device prints and shows it, built from the same priced
 * result the outbox sends. Line adjustments are the line's own (member price,
 * line discount); everything else is listed once for the order, so the totals
 * follow the receipt model's rule: Σ line net + order adjustments = total.
 * The server's receipt number does not exist yet, so 单号 shows the device's.
 */
export function offlineReceipt(input: OfflineReceiptInput): Receipt {
  const { bill, result, ruleNames } = input;
  const label = (source: Parameters<typeof adjustmentLabel>[0]) => adjustmentLabel(source, ruleNames).slice(0, label_chars_max);
  const lines = result.lines.map((l) => {
    const line = bill.lines[l.lineIndex];
    const own = l.adjustments.filter((a) => line_level_kinds.has(a.source.kind));
    const taken = own.reduce((s, a) => s + a.fen, 0);
    return {
      name: line?.name ?? l.skuId,
      spec: line?.spec ?? '',
      qty: l.qty,
      unitFen: l.unitListFen,
      listFen: l.listFen,
      netFen: l.listFen - taken,
      adjustments: own.map((a) => ({ label: label(a.source), fen: -a.fen })),
    };
  });
  const paid = result.totalFen > 0;
  const receipt: Receipt = {
    storeName: input.storeName,
    storeAddress: input.storeAddress,
    receiptNo: input.deviceReceiptNo,
    orderId: input.orderId,
    paidAt: input.billedAt,
    assistantName: input.assistantName,
    lines,
    orderAdjustments: result.adjustments.map((a) => ({ label: label(a.source), fen: -a.fen })),
    subtotalFen: result.subtotalListFen,
    discountFen: result.discountFen,
    totalFen: result.totalFen,
    tenders: paid ? (input.tenders?.applied.map((t) => ({ label: tenderLabels[t.method] ?? t.method, fen: t.amountFen })) ?? [{ label: '现金', fen: result.totalFen }]) : [],
    offline: { deviceReceiptNo: input.deviceReceiptNo },
    footer: '离线单：联网后自动上传\n谢谢惠顾',
  };
  if (input.tenders) {
    if (input.tenders.cashReceivedFen !== null && input.tenders.changeFen !== null) {
      receipt.cashReceivedFen = input.tenders.cashReceivedFen;
      receipt.changeFen = input.tenders.changeFen;
    }
  } else if (paid) {
    receipt.cashReceivedFen = input.cashReceivedFen;
    receipt.changeFen = input.cashReceivedFen - result.totalFen;
  }
  if (input.member?.name && input.member.phoneMasked) {
    receipt.member = { name: input.member.name, phoneMasked: input.member.phoneMasked, level: input.member.level };
  }
  return receipt;
}
