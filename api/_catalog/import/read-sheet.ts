import { Readable } from 'node:stream';
import { AppError } from '../../_kernel/errors.js';
import { catalog_import_rows_max } from '../../../shared/catalog/sheet.js';

/** The header and the data rows of a file, cells as exceljs or the CSV parser give them. */
export interface RawSheet {
  header: string[];
  rows: unknown[][];
}

const zipMagic = [0x50, 0x4b, 0x03, 0x04];

/** An XLSX is a zip; anything else must at least look like text to be read as CSV. */
export function sheetKind(bytes: Uint8Array): 'xlsx' | 'csv' {
  if (zipMagic.every((b, i) => bytes[i] === b)) return 'xlsx';
  if (bytes.subarray(0, 4096).includes(0)) throw new AppError('bad_request', '文件不是 Excel（.xlsx）或 CSV 表格');
  return 'csv';
}

function tooMany(): AppError {
  return new AppError('bad_request', `表格超过 ${catalog_import_rows_max} 行商品（catalog_import_rows_max），请分成几个文件导入`);
}

/** exceljs gives rich text, formulas and hyperlinks as objects: the value a person sees is what counts. */
function plainCell(v: unknown): unknown {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    const o = v as { richText?: { text: string }[]; result?: unknown; text?: unknown; error?: unknown };
    if (o.richText) return o.richText.map((r) => r.text).join('');
    if ('result' in o) return plainCell(o.result);
    if (o.text !== undefined) return plainCell(o.text);
    if (o.error !== undefined) return '';
  }
  return v;
}

function isBlank(cells: unknown[]): boolean {
  return cells.every((c) => c === '' || c === null || c === undefined);
}

/**
 * The first worksheet, read with exceljs' streaming reader so that a large
 * file is never held as a whole workbook object. Reading stops past the row
 * limit, so an oversized file costs no more than the limit to refuse.
 */
async function readXlsx(bytes: Uint8Array): Promise<RawSheet> {
  const { default: ExcelJS } = await import('exceljs');
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([Buffer.from(bytes)]), { sharedStrings: 'cache', styles: 'ignore', hyperlinks: 'ignore', worksheets: 'emit' });
  let header: string[] | null = null;
  const rows: unknown[][] = [];
  try {
    for await (const sheet of reader) {
      for await (const row of sheet) {
        const values = (row.values as unknown[]).slice(1).map(plainCell);
        if (header === null) {
          if (isBlank(values)) continue;
          header = values.map((v) => String(v).trim());
          continue;
        }
        if (isBlank(values)) continue;
        if (rows.length >= catalog_import_rows_max) throw tooMany();
        rows.push(values);
      }
      // Only the first worksheet holds goods; the template's second is its instructions.
      break;
    }
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError('bad_request', 'Excel 文件无法读取，请用 Excel 或 WPS 另存为 .xlsx 再试', undefined, { detail: e instanceof Error ? e.message : String(e) });
  }
  if (header === null) throw new AppError('bad_request', '表格是空的：第一行应是列名（分类、商品名称、零售价、成本价……）');
  return { header, rows };
}

/**
 * Excel in a Chinese locale saves CSV as GB18030 (GBK) unless told
 * otherwise; text that is not valid UTF-8 is read as GB18030 instead of
 * turning every name into replacement characters.
 */
function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

async function readCsv(bytes: Uint8Array): Promise<RawSheet> {
  const { parse } = await import('csv-parse/sync');
  let records: string[][];
  try {
    records = parse(decodeText(bytes), { bom: true, relax_column_count: true, skip_empty_lines: true, trim: true, to_line: catalog_import_rows_max + 2 }) as string[][];
  } catch (e) {
    throw new AppError('bad_request', 'CSV 文件格式有误', undefined, { detail: e instanceof Error ? e.message : String(e) });
  }
  // The export guards text a spreadsheet would run as a formula with a leading apostrophe (csvField); it is not part of the value.
  records = records.map((r) => r.map((cell) => (/^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell)));
  const [header, ...rows] = records;
  if (!header) throw new AppError('bad_request', '表格是空的：第一行应是列名（分类、商品名称、零售价、成本价……）');
  const data = rows.filter((r) => !isBlank(r));
  if (data.length > catalog_import_rows_max) throw tooMany();
  return { header, rows: data };
}

export async function readSheet(bytes: Uint8Array): Promise<RawSheet> {
  return sheetKind(bytes) === 'xlsx' ? readXlsx(bytes) : readCsv(bytes);
}
