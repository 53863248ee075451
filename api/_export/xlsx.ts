import { PassThrough } from 'node:stream';
import { fenToYuan } from '../../shared/money.js';
import type { ReportColumn, ReportTable } from '../../shared/api/reports.js';
import { rowsWithTotal } from './cells.js';

/**
 * A spreadsheet value for a cell. Amounts are numbers, so a shop owner can sum
 * them in Excel: parsed from the exact two-decimal yuan text (never fen ÷ 100
 * in floating point) and shown with two decimals.
 */
function cellValue(kind: ReportColumn['kind'], value: string | number | undefined): string | number | null {
  if (value === undefined) return null;
  if (kind === 'fen' || kind === 'x100' || kind === 'bp') return Number(fenToYuan(Number(value)));
  if (kind === 'int') return Number(value);
  return String(value);
}

const formats: Record<ReportColumn['kind'], string | undefined> = { fen: '0.00', x100: '0.00', bp: '0.00"%"', int: '0', text: undefined };

/**
 * The report as one worksheet, written by exceljs' streaming writer. exceljs
 * (with its zip and stream libraries) is loaded here, on the first export,
 * because loading it with the function would slow every cold start.
 */
export async function reportXlsx(t: ReportTable): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    out.on('end', resolve);
    out.on('error', reject);
  });
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet(t.title.slice(0, 31));
  sheet.columns = t.columns.map((c) => ({ header: c.title, key: c.key, width: c.kind === 'text' ? 24 : 14, ...(formats[c.kind] ? { style: { numFmt: formats[c.kind] } } : {}) }));
  sheet.getRow(1).font = { bold: true };
  for (const row of rowsWithTotal(t)) sheet.addRow(Object.fromEntries(t.columns.map((c) => [c.key, cellValue(c.kind, row[c.key])]))).commit();
  sheet.commit();
  await workbook.commit();
  await done;
  return Buffer.concat(chunks);
}
