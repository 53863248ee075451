import { fenToYuan } from '../../shared/money.js';
import type { ReportColumn, ReportRow, ReportTable } from '../../shared/api/reports.js';

/**
 * A report cell as text: fen as yuan with exactly two decimals, basis points
 * as a percent with two decimals, hundredths as a number with two decimals,
 * all from integers (no floating point between the fen and the text).
 */
export function cellText(kind: ReportColumn['kind'], value: string | number | undefined): string {
  if (value === undefined) return '';
  switch (kind) {
    case 'fen':
    case 'x100':
      return fenToYuan(Number(value));
    case 'bp':
      return `${fenToYuan(Number(value))}%`;
    case 'int':
      return String(value);
    case 'text':
      return String(value);
  }
}

/** The table's rows, then its total row labelled 合计 in the first text column. */
export function rowsWithTotal(t: ReportTable): ReportRow[] {
  if (!t.total) return t.rows;
  const label = t.columns.find((c) => c.kind === 'text');
  return [...t.rows, label ? { ...t.total, [label.key]: '合计' } : t.total];
}

/** A file name for the table: its Chinese title, the period, and the extension. */
export function reportFileName(t: ReportTable, ext: string): string {
  return `${t.title}_${t.from}_${t.to}.${ext}`;
}

/** Content-Disposition for a download with a Chinese file name (RFC 6266 / 5987), with an ASCII fallback. */
export function attachment(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
