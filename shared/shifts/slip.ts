import type { DayCloseView } from '../api/shifts.js';
import { tenderLabels } from '../tender-labels.js';
import { centered, formatShanghaiTime, pair, receipt_columns_58mm, rule, yuan, type ReceiptItem } from '../receipt/layout.js';

/** HH:MM of an instant in Asia/Shanghai, for a shift's span on paper. */
const hhmm = (iso: string) => formatShanghaiTime(iso).slice(11, 16);

const variance_word = (fen: number) => (fen === 0 ? '无差额' : fen < 0 ? `短款 ${yuan(-fen)}` : `长款 ${yuan(fen)}`);

/**
 * The day close as a 58 mm handover slip (日结交接单): the same item list the
 * receipt uses, so `api/_receipt` prints it and the page previews it. Pure.
 */
export function layoutDaySlip(day: DayCloseView, printedAt: string, columns = receipt_columns_58mm): ReceiptItem[] {
  const out: ReceiptItem[] = [...centered('日结交接单', columns, { bold: true }), ...centered(day.storeName, columns), ...pair('营业日', day.businessDate, columns), ...pair('打印时间', formatShanghaiTime(printedAt), columns), rule(columns)];
  out.push(...pair(`销售 ${day.orderCount} 笔`, yuan(day.salesFen), columns, { bold: true }));
  for (const t of day.tenders) out.push(...pair(`${tenderLabels[t.method] ?? t.method} ${t.count} 笔`, yuan(t.amountFen), columns, { indent: '  ' }));
  out.push(...pair(`退货 ${day.returns.count} 笔`, yuan(-day.returns.amountFen), columns));
  out.push(...pair('抹零', yuan(day.roundingFen), columns));
  if (day.pendingPayments.count > 0) out.push(...pair(`待确认线上支付 ${day.pendingPayments.count} 笔`, yuan(day.pendingPayments.amountFen), columns));
  if (day.unshifted.count > 0) out.push(...pair(`未归班次 ${day.unshifted.count} 笔（现金）`, yuan(day.unshifted.cashFen), columns));
  out.push(rule(columns));
  day.shifts.forEach((s, i) => {
    const span = `${hhmm(s.openedAt)}-${s.closedAt ? hhmm(s.closedAt) : '未交班'}`;
    out.push(...pair(`班次${i + 1} ${s.openedBy.name}`, span, columns, { bold: true }));
    out.push(...pair('备用金', yuan(s.openingFloatFen), columns, { indent: '  ' }));
    out.push(...pair('现金收入', yuan(s.cash.salesFen), columns, { indent: '  ' }));
    if (s.cash.refundsFen > 0) out.push(...pair('现金退款', yuan(-s.cash.refundsFen), columns, { indent: '  ' }));
    if (s.cash.inFen > 0) out.push(...pair('存入', yuan(s.cash.inFen), columns, { indent: '  ' }));
    if (s.cash.outFen > 0) out.push(...pair('取出', yuan(-s.cash.outFen), columns, { indent: '  ' }));
    out.push(...pair('应有现金', yuan(s.cash.expectedFen), columns, { indent: '  ' }));
    if (s.countedFen !== null) out.push(...pair('实点现金', yuan(s.countedFen), columns, { indent: '  ' }));
    if (s.varianceFen !== null) out.push(...pair('差额', variance_word(s.varianceFen), columns, { indent: '  ' }));
  });
  out.push(...pair('差额合计', variance_word(day.varianceFen), columns, { bold: true }));
  out.push(rule(columns));
  out.push(...pair('日结人', day.closed ? day.closed.by.name : '（未日结）', columns));
  out.push(...pair('交班人签字', '', columns), ...pair('接班人签字', '', columns));
  return out;
}
