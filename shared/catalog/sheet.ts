import { retailBarcodeKind } from '../barcode.js';
import { fenToYuan } from '../money.js';
import { name_length_max } from '../api/limits.js';
import { opening_qty_max, spec_axes_max } from '../api/products.js';

/**
 * The catalog as a sheet (商品资料表): the one format the import reads and the
 * export writes, so that exporting a catalog and importing the file changes
 * nothing. One row per SKU; rows with the same 分类, 商品名称 and 单位 are one
 * product. Amounts are yuan with at most two decimals, as a shop owner writes
 * them in Excel, and become integer fen here, exactly.
 */
export const catalog_import_rows_max = 20_000;
/**
 * A request to a Vercel function may carry at most 4.5 MB; 4 MB leaves room
 * for the multipart envelope. A 20,000-row XLSX is about 1 MB.
 */
export const catalog_import_bytes_max = 4 * 1024 * 1024;
export const catalog_unit_length_max = 4;
export const catalog_spec_value_length_max = 20;
export const catalog_spec_axis_length_max = 10;

export const catalogColumns = [
  { key: 'category', title: '分类', required: true },
  { key: 'name', title: '商品名称', required: true },
  { key: 'unit', title: '单位', required: false },
  { key: 'spec', title: '规格', required: false },
  { key: 'barcode', title: '条码', required: false },
  { key: 'retail', title: '零售价', required: true },
  { key: 'member', title: '会员价', required: false },
  { key: 'cost', title: '成本价', required: true },
  { key: 'status', title: '状态', required: false },
  // Optional, so a file made before the column existed (or by hand without it) still imports.
  { key: 'opening', title: '期初库存', required: false },
] as const;
export type CatalogColumnKey = (typeof catalogColumns)[number]['key'];

/** What a template's example rows and an empty unit default to. */
export const catalog_unit_default = '件';
const statusWords = { 在售: true, 停售: false } as const;

/** One SKU row as read and checked: everything a write needs, in fen. */
export interface CatalogRow {
  /** The row's number in the file, counting the header as row 1, as Excel shows it. */
  line: number;
  category: string;
  name: string;
  unit: string;
  spec: Record<string, string>;
  barcode: string | null;
  retailFen: number;
  memberFen: number;
  costFen: number;
  active: boolean;
  /** Opening stock (期初库存) of a SKU the import creates; 0 when the cell is empty. */
  openingQty: number;
}

export interface RowProblem {
  line: number;
  column: string;
  message: string;
}

/** The file's header row mapped to columns; a missing required column refuses the whole file. */
export function headerIndex(header: readonly string[]): { index: Record<CatalogColumnKey, number>; missing: string[] } {
  const clean = header.map((h) => String(h ?? '').trim());
  const index = {} as Record<CatalogColumnKey, number>;
  const missing: string[] = [];
  for (const c of catalogColumns) {
    const at = clean.indexOf(c.title);
    index[c.key] = at;
    if (at < 0 && c.required) missing.push(c.title);
  }
  return { index, missing };
}

/** "颜色:红 尺码:M" (also ：, ；, ; or / between pairs) → {颜色: 红, 尺码: M}; the export writes the first form. */
export function parseSpec(text: string): Record<string, string> | string {
  const spec: Record<string, string> = {};
  const trimmed = text.trim();
  if (!trimmed) return spec;
  for (const pair of trimmed.split(/[\s;；/]+/).filter(Boolean)) {
    const m = /^([^:：]+)[:：](.+)$/.exec(pair);
    if (!m) return `规格「${pair}」应写成「名称:值」，如「颜色:红」`;
    const axis = m[1]!.trim();
    const value = m[2]!.trim();
    if (axis.length > catalog_spec_axis_length_max) return `规格名「${axis}」超过 ${catalog_spec_axis_length_max} 个字（catalog_spec_axis_length_max）`;
    if (value.length > catalog_spec_value_length_max) return `规格值「${value}」超过 ${catalog_spec_value_length_max} 个字（catalog_spec_value_length_max）`;
    if (axis in spec) return `规格名「${axis}」写了两次`;
    spec[axis] = value;
  }
  if (Object.keys(spec).length > spec_axes_max) return `规格最多 ${spec_axes_max} 项（spec_axes_max）`;
  return spec;
}

export function specText(spec: Record<string, string>): string {
  return Object.entries(spec)
    .map(([k, v]) => `${k}:${v}`)
    .join(' ');
}

const yuanText = /^\d{1,9}(\.\d{1,2})?$/;

/**
 * A price cell as fen. Excel hands numbers as binary floats (3.3 is
 * 3.2999…), so a number is accepted only when it is within a millionth of a
 * whole number of fen; text must be plain yuan with at most two decimals.
 */
export function priceFen(cell: unknown): number | string {
  if (typeof cell === 'number') {
    if (!Number.isFinite(cell) || cell < 0) return '不是有效的金额';
    const fen = Math.round(cell * 100);
    if (Math.abs(fen - cell * 100) > 1e-6) return '最多两位小数';
    if (fen > 999_999_999_99) return '金额过大';
    return fen;
  }
  const text = String(cell ?? '')
    .trim()
    .replace(/^[¥￥]/, '')
    .replace(/,/g, '');
  if (!text) return '未填写';
  if (!yuanText.test(text)) return `「${String(cell)}」不是金额（元，最多两位小数）`;
  const [whole, frac = ''] = text.split('.');
  return Number(whole) * 100 + Number(frac.padEnd(2, '0'));
}

/**
 * An opening-stock cell as a whole number of units: empty is none; a
 * negative, a fraction or more than opening_qty_max (the limit a product
 * added by hand has) is refused with its reason.
 */
export function openingQty(cell: unknown): number | string {
  if (cell === null || cell === undefined) return 0;
  const text = typeof cell === 'number' ? String(cell) : String(cell).trim().replace(/,/g, '');
  if (text === '') return 0;
  if (!/^[+-]?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(text)) return `「${String(cell)}」不是数量`;
  const n = Number(text);
  if (n < 0) return '不能为负';
  if (!Number.isInteger(n)) return '应是整数';
  if (n > opening_qty_max) return `最多 ${opening_qty_max}（opening_qty_max）`;
  return n;
}

function cellText(cell: unknown): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'number') return Number.isInteger(cell) ? String(cell) : String(cell);
  return String(cell).trim();
}

/**
 * Checks one data row on its own (what needs no database): required cells,
 * lengths, barcode check digit, amounts, member price not above retail. The
 * import adds the checks across rows and against the catalog.
 */
export function readRow(cells: readonly unknown[], index: Record<CatalogColumnKey, number>, line: number): CatalogRow | RowProblem[] {
  const problems: RowProblem[] = [];
  const at = (key: CatalogColumnKey) => (index[key] >= 0 ? cells[index[key]] : undefined);
  const bad = (column: string, message: string) => problems.push({ line, column, message });

  const category = cellText(at('category'));
  if (!category) bad('分类', '未填写');
  else if (category.length > 20) bad('分类', '超过 20 个字');
  const name = cellText(at('name'));
  if (!name) bad('商品名称', '未填写');
  else if (name.length > name_length_max * 2) bad('商品名称', `超过 ${name_length_max * 2} 个字`);
  const unit = cellText(at('unit')) || catalog_unit_default;
  if (unit.length > catalog_unit_length_max) bad('单位', `超过 ${catalog_unit_length_max} 个字（catalog_unit_length_max）`);
  const spec = parseSpec(cellText(at('spec')));
  if (typeof spec === 'string') bad('规格', spec);
  const barcodeCell = cellText(at('barcode'));
  let barcode: string | null = null;
  if (barcodeCell) {
    if (!/^\d{8}$|^\d{12,13}$/.test(barcodeCell)) bad('条码', `「${barcodeCell}」应为 8、12 或 13 位数字`);
    else if (!retailBarcodeKind(barcodeCell)) bad('条码', `「${barcodeCell}」校验位不对`);
    else barcode = barcodeCell;
  }
  const retail = priceFen(at('retail'));
  if (typeof retail === 'string') bad('零售价', retail);
  const memberCell = at('member');
  const member = cellText(memberCell) === '' ? retail : priceFen(memberCell);
  // An empty member price is the retail price: its problem is already told once, under 零售价.
  if (typeof member === 'string' && cellText(memberCell) !== '') bad('会员价', member);
  const cost = priceFen(at('cost'));
  if (typeof cost === 'string') bad('成本价', cost);
  if (typeof retail === 'number' && typeof member === 'number' && member > retail) bad('会员价', '不能高于零售价');
  const statusCell = cellText(at('status')) || '在售';
  if (!(statusCell in statusWords)) bad('状态', `应为「在售」或「停售」，不是「${statusCell}」`);
  const opening = openingQty(at('opening'));
  if (typeof opening === 'string') bad('期初库存', opening);

  if (problems.length > 0) return problems;
  return {
    line,
    category,
    name,
    unit,
    spec: spec as Record<string, string>,
    barcode,
    retailFen: retail as number,
    memberFen: member as number,
    costFen: cost as number,
    active: statusWords[statusCell as keyof typeof statusWords],
    openingQty: opening as number,
  };
}

/** A SKU as the export writes it: the same cells an import reads back to the same values. */
export function exportCells(row: Omit<CatalogRow, 'line' | 'openingQty'>): Record<CatalogColumnKey, string | number> {
  return {
    category: row.category,
    name: row.name,
    unit: row.unit,
    spec: specText(row.spec),
    barcode: row.barcode ?? '',
    retail: Number(fenToYuan(row.retailFen)),
    member: Number(fenToYuan(row.memberFen)),
    cost: Number(fenToYuan(row.costFen)),
    status: row.active ? '在售' : '停售',
    // Always empty: opening stock is only for SKUs an import creates, so a
    // quantity here would make re-importing the export refuse every row
    // instead of changing nothing. Stock on hand is the stock screen's.
    opening: '',
  };
}

/** Rows are one product when these agree. */
export function productKey(row: Pick<CatalogRow, 'category' | 'name' | 'unit'>): string {
  return `${row.category}\u0000${row.name}\u0000${row.unit}`;
}
