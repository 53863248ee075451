import { PassThrough } from 'node:stream';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../_db/schema.js';
import { ean13 } from '../../../shared/barcode.js';
import { fenToYuan } from '../../../shared/money.js';
import { opening_qty_max, opening_stock_value_fen_max } from '../../../shared/api/products.js';
import { catalogColumns, catalog_import_rows_max, catalog_unit_default, exportCells, type CatalogColumnKey, type CatalogRow } from '../../../shared/catalog/sheet.js';
import { csvField, csvLine, utf8_bom } from '../../_export/index.js';

type SheetRow = Omit<CatalogRow, 'line' | 'openingQty'>;
const priceKeys = new Set<CatalogColumnKey>(['retail', 'member', 'cost']);

/** The merchant's whole catalog as sheet rows, in the order the shop shows it: category, product, then SKUs as they were made. */
export async function catalogRows(db: Kysely<DB>, merchantId: string): Promise<SheetRow[]> {
  const rows = await db
    .selectFrom('skus as s')
    .innerJoin('products as p', 'p.id', 's.product_id')
    .innerJoin('categories as c', 'c.id', 'p.category_id')
    .select(['c.name as category', 'p.name', 'p.unit', 's.spec', 's.barcode', 's.retail_price_fen', 's.member_price_fen', 's.cost_fen', 's.active'])
    .where('s.merchant_id', '=', merchantId)
    .orderBy('c.sort')
    .orderBy('c.name')
    .orderBy('p.name')
    .orderBy('p.id')
    .orderBy('s.id')
    .execute();
  return rows.map((r) => ({ category: r.category, name: r.name, unit: r.unit, spec: r.spec, barcode: r.barcode, retailFen: r.retail_price_fen, memberFen: r.member_price_fen, costFen: r.cost_fen, active: r.active }));
}

const instructions: [string, string][] = [
  ['分类', '必填。须是店里已有的分类名称（在“商品”里先添加分类）。'],
  ['商品名称', '必填。分类、名称和单位都相同的几行是同一商品的不同规格。'],
  ['单位', `选填，最多 4 个字；不填为“${catalog_unit_default}”。`],
  ['规格', '选填。写成“名称:值”，几项用空格隔开，如“颜色:红 尺码:M”，最多 3 项。'],
  ['条码', '选填。8、12 或 13 位商品条码，校验位须正确；不填则由系统生成店内码。已有条码的行只改价格和状态。'],
  ['零售价', '必填。单位元，最多两位小数。低于成本价时会提醒，确认后可导入。'],
  ['会员价', '选填。不填等于零售价，不能高于零售价。'],
  ['成本价', '必填。单位元，最多两位小数。'],
  ['状态', '选填。“在售”或“停售”，不填为在售。'],
  [
    '期初库存',
    `选填。新商品现有的数量，整数，每行最多 ${opening_qty_max}；按成本价计入库存，全表合计不超过 ${opening_stock_value_fen_max / 100 / 10_000} 万元。导入时选择放在哪个门店。已有商品（条码已存在）不能填，请用盘点。导出的表这一列是空的。`,
  ],
  ['', ''],
  ['行数', `一次最多 ${catalog_import_rows_max} 行（catalog_import_rows_max）。`],
  ['先预览', '上传后先预览：列出每一行的问题，不会导入任何东西；全部正确后再点导入，全部成功或全部不导入。'],
];

/**
 * The sheet as XLSX: 商品资料 first (the only sheet an import reads), then
 * 说明 when asked. Barcodes are text, so Excel neither shows 6.9E+12 nor
 * drops a leading zero; prices are numbers with two decimals.
 */
export async function catalogXlsx(rows: SheetRow[], withInstructions: boolean): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const out = new PassThrough();
  const parts: Buffer[] = [];
  out.on('data', (c: Buffer) => parts.push(c));
  const done = new Promise<void>((resolve, reject) => {
    out.on('end', resolve);
    out.on('error', reject);
  });
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet('商品资料');
  sheet.columns = catalogColumns.map((c) => ({
    header: c.title,
    key: c.key,
    width: c.key === 'name' ? 24 : c.key === 'barcode' ? 16 : c.key === 'spec' ? 18 : c.key === 'opening' ? 12 : 10,
    style: priceKeys.has(c.key) ? { numFmt: '0.00' } : c.key === 'barcode' ? { numFmt: '@' } : {},
  }));
  sheet.getRow(1).font = { bold: true };
  for (const row of rows) sheet.addRow(exportCells(row)).commit();
  sheet.commit();
  if (withInstructions) {
    const help = workbook.addWorksheet('说明');
    help.columns = [
      { header: '列', key: 'k', width: 10 },
      { header: '怎么填', key: 'v', width: 80 },
    ];
    for (const [k, v] of instructions) help.addRow({ k, v }).commit();
    help.commit();
  }
  await workbook.commit();
  await done;
  return Buffer.concat(parts);
}

export function catalogCsv(rows: SheetRow[]): string {
  let out = utf8_bom + csvLine(catalogColumns.map((c) => csvField(c.title, true)));
  for (const row of rows) {
    // Amounts from fen as exact two-decimal text, never through a float.
    const cells = { ...exportCells(row), retail: fenToYuan(row.retailFen), member: fenToYuan(row.memberFen), cost: fenToYuan(row.costFen) };
    out += csvLine(catalogColumns.map((c) => csvField(String(cells[c.key]), !priceKeys.has(c.key))));
  }
  return out;
}

/**
 * The template's examples: a product in two colours and one of a single
 * kind, in the merchant's first category, with barcodes no SKU of the
 * merchant uses, so that importing the template as it comes is clean.
 */
export async function templateRows(db: Kysely<DB>, merchantId: string): Promise<SheetRow[]> {
  const category = (await db.selectFrom('categories').select('name').where('merchant_id', '=', merchantId).orderBy('sort').orderBy('name').executeTakeFirst())?.name ?? '饮料';
  const used = await db.selectFrom('skus').select('barcode').where('merchant_id', '=', merchantId).where(sql<boolean>`barcode like '6999%'`).execute();
  const taken = new Set(used.map((u) => u.barcode));
  const free: string[] = [];
  for (let n = 1; free.length < 3; n++) {
    const code = ean13(`6999${String(n).padStart(8, '0')}`);
    if (!taken.has(code)) free.push(code);
  }
  return [
    { category, name: '示例保温杯', unit: '个', spec: { 颜色: '白' }, barcode: free[0]!, retailFen: 5900, memberFen: 5500, costFen: 3200, active: true },
    { category, name: '示例保温杯', unit: '个', spec: { 颜色: '黑' }, barcode: free[1]!, retailFen: 5900, memberFen: 5500, costFen: 3200, active: true },
    { category, name: '示例矿泉水', unit: '瓶', spec: {}, barcode: free[2]!, retailFen: 200, memberFen: 200, costFen: 90, active: true },
  ];
}
