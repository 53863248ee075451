import { sql, type Kysely } from 'kysely';
import type { DB } from '../../_db/schema.js';
import { opening_stock_value_fen_max, product_skus_max } from '../../../shared/api/products.js';
import { headerIndex, productKey, readRow, type CatalogRow, type RowProblem } from '../../../shared/catalog/sheet.js';
import { AppError } from '../../_kernel/errors.js';
import type { RawSheet } from './read-sheet.js';

interface ExistingSku {
  id: string;
  barcode: string;
  spec: Record<string, string>;
  retail_price_fen: number;
  member_price_fen: number;
  cost_fen: number;
  active: boolean;
  product_id: string;
  product_name: string;
  unit: string;
  category_id: string;
}

export interface SkuUpdate {
  skuId: string;
  row: CatalogRow;
  before: { retailFen: number; memberFen: number; costFen: number; active: boolean };
}

/** What an import would do, worked out in full before anything is written. */
export interface ImportPlan {
  rows: number;
  problems: RowProblem[];
  warnings: RowProblem[];
  newProducts: { categoryId: string; name: string; unit: string; rows: CatalogRow[] }[];
  /** New SKUs of products the catalog already has (same category, name and unit). */
  newSkus: { productId: string; rows: CatalogRow[] }[];
  updates: SkuUpdate[];
  unchanged: number;
  /** The opening stock of the new SKUs, valued at their cost: what the import books, in one store. */
  opening: { skus: number; units: number; valueFen: number };
}

const specKey = (spec: Record<string, string>) => JSON.stringify(Object.entries(spec).sort(([a], [b]) => a.localeCompare(b)));

/**
 * Reads every row, then checks the rows against each other and against the
 * merchant's catalog: a barcode twice in the file, a barcode that is another
 * product's, an unknown category, the same spec twice in one product, too
 * many SKUs in one product. Every problem is listed with its row and column;
 * a price below cost is a warning the owner may accept.
 */
export async function planImport(db: Kysely<DB>, merchantId: string, sheet: RawSheet): Promise<ImportPlan> {
  const { index, missing } = headerIndex(sheet.header);
  if (missing.length > 0) throw new AppError('bad_request', `表格缺少列：${missing.join('、')}（第一行应是列名，可下载模板对照）`);

  const problems: RowProblem[] = [];
  const warnings: RowProblem[] = [];
  const rows: CatalogRow[] = [];
  sheet.rows.forEach((cells, i) => {
    const read = readRow(cells, index, i + 2);
    if (Array.isArray(read)) problems.push(...read);
    else rows.push(read);
  });

  const firstLineOf = new Map<string, number>();
  for (const r of rows) {
    if (r.barcode === null) continue;
    const first = firstLineOf.get(r.barcode);
    if (first !== undefined) problems.push({ line: r.line, column: '条码', message: `与第 ${first} 行的条码 ${r.barcode} 重复` });
    else firstLineOf.set(r.barcode, r.line);
  }

  const categories = new Map((await db.selectFrom('categories').select(['id', 'name']).where('merchant_id', '=', merchantId).execute()).map((c) => [c.name, c.id]));
  const barcodes = [...firstLineOf.keys()];
  const existing = new Map<string, ExistingSku>();
  if (barcodes.length > 0) {
    const found = await db
      .selectFrom('skus as s')
      .innerJoin('products as p', 'p.id', 's.product_id')
      .select(['s.id', 's.barcode', 's.spec', 's.retail_price_fen', 's.member_price_fen', 's.cost_fen', 's.active', 's.product_id', 'p.name as product_name', 'p.unit', 'p.category_id'])
      .where('s.merchant_id', '=', merchantId)
      .where(sql<boolean>`s.barcode = any(${barcodes}::text[])`)
      .execute();
    for (const f of found) existing.set(f.barcode, f as ExistingSku);
  }
  const names = [...new Set(rows.map((r) => r.name))];
  const productsByKey = new Map<string, { id: string; specs: Set<string>; skus: number }>();
  if (names.length > 0) {
    const found = await db
      .selectFrom('products as p')
      .innerJoin('categories as c', 'c.id', 'p.category_id')
      .leftJoin('skus as s', 's.product_id', 'p.id')
      .select(['p.id', 'p.name', 'p.unit', 'c.name as category', 's.spec'])
      .where('p.merchant_id', '=', merchantId)
      .where(sql<boolean>`p.name = any(${names}::text[])`)
      .execute();
    for (const f of found) {
      const key = productKey({ category: f.category, name: f.name, unit: f.unit });
      const entry = productsByKey.get(key) ?? { id: f.id, specs: new Set<string>(), skus: 0 };
      if (f.spec) {
        entry.specs.add(specKey(f.spec));
        entry.skus++;
      }
      productsByKey.set(key, entry);
    }
  }

  const plan: ImportPlan = { rows: sheet.rows.length, problems, warnings, newProducts: [], newSkus: [], updates: [], unchanged: 0, opening: { skus: 0, units: 0, valueFen: 0 } };
  const groups = new Map<string, { rows: CatalogRow[]; specs: Map<string, number> }>();
  for (const r of rows) {
    const categoryId = categories.get(r.category);
    if (categoryId === undefined) {
      problems.push({ line: r.line, column: '分类', message: `没有「${r.category}」这个分类，请先添加分类或改成已有的分类` });
      continue;
    }
    if (r.retailFen < r.costFen) warnings.push({ line: r.line, column: '零售价', message: `零售价 ${(r.retailFen / 100).toFixed(2)} 低于成本价 ${(r.costFen / 100).toFixed(2)}` });
    const known = r.barcode === null ? undefined : existing.get(r.barcode);
    if (known) {
      if (known.product_name !== r.name || known.unit !== r.unit || known.category_id !== categoryId) {
        problems.push({ line: r.line, column: '条码', message: `条码 ${r.barcode} 已用于商品「${known.product_name}」（${known.unit}），不能改成另一件商品` });
        continue;
      }
      if (specKey(known.spec) !== specKey(r.spec)) {
        problems.push({ line: r.line, column: '规格', message: `条码 ${r.barcode} 现有规格与表格不同，导入不改规格` });
        continue;
      }
      // Stock of a SKU the shop already has may already be on the shelf and in its books: adding to it is a stocktake's job.
      if (r.openingQty > 0) {
        problems.push({ line: r.line, column: '期初库存', message: `条码 ${r.barcode} 是已有商品「${known.product_name}」：已有商品不能导入期初库存，请用盘点` });
        continue;
      }
      const same = known.retail_price_fen === r.retailFen && known.member_price_fen === r.memberFen && known.cost_fen === r.costFen && known.active === r.active;
      if (same) plan.unchanged++;
      else plan.updates.push({ skuId: known.id, row: r, before: { retailFen: known.retail_price_fen, memberFen: known.member_price_fen, costFen: known.cost_fen, active: known.active } });
      continue;
    }
    const key = productKey(r);
    const group = groups.get(key) ?? { rows: [], specs: new Map<string, number>() };
    const sk = specKey(r.spec);
    const clash = group.specs.get(sk);
    if (clash !== undefined) {
      problems.push({ line: r.line, column: '规格', message: `与第 ${clash} 行是同一商品的同一规格` });
      continue;
    }
    if (productsByKey.get(key)?.specs.has(sk)) {
      problems.push({ line: r.line, column: '规格', message: `商品「${r.name}」已有这个规格，请填写它的条码来修改价格` });
      continue;
    }
    group.specs.set(sk, r.line);
    group.rows.push(r);
    groups.set(key, group);
  }

  for (const [key, group] of groups) {
    const first = group.rows[0]!;
    const product = productsByKey.get(key);
    const total = group.rows.length + (product?.skus ?? 0);
    if (total > product_skus_max) {
      problems.push({ line: first.line, column: '商品名称', message: `商品「${first.name}」将有 ${total} 个规格，超过 ${product_skus_max} 个（product_skus_max）` });
      continue;
    }
    if (product) plan.newSkus.push({ productId: product.id, rows: group.rows });
    else plan.newProducts.push({ categoryId: categories.get(first.category)!, name: first.name, unit: first.unit, rows: group.rows });
  }
  countOpening(plan);
  problems.sort((a, b) => a.line - b.line);
  warnings.sort((a, b) => a.line - b.line);
  return plan;
}

/**
 * Adds up the opening stock of the new SKUs in file order, and refuses the
 * file at the row whose stock takes the value at cost past
 * opening_stock_value_fen_max, the limit one product added by hand has: one
 * import is one owner's opening, so the whole file is held to it.
 */
function countOpening(plan: ImportPlan): void {
  const rows = [...plan.newProducts.flatMap((p) => p.rows), ...plan.newSkus.flatMap((p) => p.rows)].filter((r) => r.openingQty > 0).sort((a, b) => a.line - b.line);
  for (const r of rows) {
    const valueFen = plan.opening.valueFen + r.openingQty * r.costFen;
    if (valueFen > opening_stock_value_fen_max) {
      plan.problems.push({ line: r.line, column: '期初库存', message: `期初库存按成本价合计到这一行超过 ${opening_stock_value_fen_max / 100} 元（opening_stock_value_fen_max），请核对数量和成本价` });
      return;
    }
    plan.opening.skus++;
    plan.opening.units += r.openingQty;
    plan.opening.valueFen = valueFen;
  }
}

export function planCounts(plan: ImportPlan) {
  return {
    rows: plan.rows,
    newProducts: plan.newProducts.length,
    newSkus: plan.newProducts.reduce((n, p) => n + p.rows.length, 0) + plan.newSkus.reduce((n, p) => n + p.rows.length, 0),
    updatedSkus: plan.updates.length,
    unchangedSkus: plan.unchanged,
    openingSkus: plan.opening.skus,
    openingUnits: plan.opening.units,
    openingValueFen: plan.opening.valueFen,
  };
}
