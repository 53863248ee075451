import { fenToYuan } from '../money.js';

/**
 * The split log as a CSV a shop owner opens in Excel or WPS: UTF-8 with a
 * byte-order mark (without it Excel reads Chinese as GBK), Chinese headers,
 * CRLF line ends, yuan with two decimals computed exactly from fen.
 */

export interface SplitLogCsvRow {
  at: string;
  paymentId: string | null;
  event: string;
  receiverName: string | null;
  receiverAccount: string | null;
  amountFen: number | null;
  status: string | null;
  detail: string;
}

/** How each split-log event reads to the owner. */
export const split_event_names: Record<string, string> = {
  rule_version: '规则版本',
  calculated: '分账计算',
  requested: '请求分账',
  result: '分账结果',
  request_failed: '请求失败',
  return: '分账回退',
  unfreeze: '解冻剩余资金',
  cancelled: '取消分账',
};

export const split_log_csv_headers = ['时间', '支付单号', '事件', '接收方', '接收方账号', '金额（元）', '结果', '说明'] as const;

function cell(value: string): string {
  // A leading = + - @ would be run as a formula by a spreadsheet.
  const safe = /^[=+\-@]/.test(value) && !/^-\d+(\.\d+)?$/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function splitLogCsv(rows: readonly SplitLogCsvRow[]): string {
  const lines = [split_log_csv_headers.join(',')];
  for (const r of rows) {
    lines.push([r.at, r.paymentId ?? '', r.event, r.receiverName ?? '', r.receiverAccount ?? '', r.amountFen === null ? '' : fenToYuan(r.amountFen), r.status ?? '', r.detail].map(cell).join(','));
  }
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}
