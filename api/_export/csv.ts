import type { ReportTable } from '../../shared/api/reports.js';
import { cellText, rowsWithTotal } from './cells.js';

/** Excel reads a UTF-8 CSV as UTF-8 (and Chinese headers survive) only with the byte order mark. */
export const utf8_bom = '\uFEFF';

/**
 * One CSV field: quoted when it holds a separator, a quote or a line break.
 * Text that a spreadsheet would run as a formula (=, +, -, @ first) gets a
 * leading apostrophe; amounts are never text, so a negative amount stays a number.
 */
export function csvField(value: string, isText: boolean): string {
  const safe = isText && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvLine(fields: string[]): string {
  return `${fields.join(',')}\r\n`;
}

export function reportCsv(t: ReportTable): string {
  let out = utf8_bom + csvLine(t.columns.map((c) => csvField(c.title, true)));
  for (const row of rowsWithTotal(t)) out += csvLine(t.columns.map((c) => csvField(cellText(c.kind, row[c.key]), c.kind === 'text')));
  return out;
}
