import { createHash } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../_db/schema.js';
import type { StaffPrincipal } from '../../_kernel/context.js';
import type { Deps } from '../../_kernel/deps.js';
import { AppError } from '../../_kernel/errors.js';
import { audit } from '../../_audit/index.js';
import { newId } from '../../../shared/ids.js';
import type { CatalogRow } from '../../../shared/catalog/sheet.js';
import { inStoreBarcodes } from '../catalog.admin.js';
import { bookOpeningStock, type OpeningLine } from '../opening-stock.js';
import { planCounts, type ImportPlan } from './plan.js';

/** Rows per INSERT or UPDATE statement: 1,000 SKUs × 9 columns stays far below Postgres's 65,535 parameters. */
export const catalog_import_chunk_rows = 1_000;

export type ImportCounts = ReturnType<typeof planCounts>;

export function fileHash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function chunks<T>(items: T[], size = catalog_import_chunk_rows): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export interface ImportReplay {
  counts: ImportCounts;
  openingStoreId: string | null;
}

/**
 * The counts of an import already made under this id, when the file is the
 * same; another file under the id is refused, and so is another store for
 * the opening stock it booked (`storeId` null: the caller named none).
 */
export async function replayOf(db: Kysely<DB> | Transaction<DB>, merchantId: string, importId: string, sha256: string, storeId: string | null): Promise<ImportReplay | null> {
  const prior = await db.selectFrom('catalog_imports').select(['merchant_id', 'sha256', 'counts', 'opening_store_id']).where('id', '=', importId).executeTakeFirst();
  if (!prior) return null;
  if (prior.merchant_id !== merchantId || prior.sha256 !== sha256) throw new AppError('idempotency_mismatch', `导入编号 ${importId} 已用于另一个文件`);
  if (prior.opening_store_id !== null && storeId !== null && storeId !== prior.opening_store_id) throw new AppError('idempotency_mismatch', `导入编号 ${importId} 的期初库存已放在另一个门店`);
  // Imports made before the opening-stock column booked none.
  return { counts: { openingSkus: 0, openingUnits: 0, openingValueFen: 0, ...prior.counts }, openingStoreId: prior.opening_store_id };
}

/**
 * Writes a checked plan in one transaction: every new product and SKU, every
 * price change and the new SKUs' opening stock, or nothing. The import's id
 * is taken first, so of two taps on 导入 one writes and the other finds it
 * and replays the counts. `storeId` is where the opening stock goes (the
 * caller has checked the staff may use it); `namedStoreId` is the store the
 * request named, if it named one, which a replay must agree with.
 */
export async function applyImport(
  deps: Pick<Deps, 'db' | 'clock'>,
  staff: StaffPrincipal,
  input: { importId: string; sha256: string; plan: ImportPlan; storeId: string | null; namedStoreId: string | null },
): Promise<{ counts: ImportCounts; replayed: boolean; openingStoreId: string | null }> {
  const db = deps.db;
  const early = await replayOf(db, staff.merchantId, input.importId, input.sha256, input.namedStoreId);
  if (early) return { ...early, replayed: true };
  const { plan } = input;
  const counts = planCounts(plan);
  const openingStoreId = plan.opening.units > 0 ? input.storeId : null;
  if (plan.opening.units > 0 && openingStoreId === null) throw new AppError('validation_failed', '表格填写了期初库存，请选择门店', [{ path: 'storeId', message: '表格填写了期初库存，请选择门店' }]);
  // pinyin-pro's dictionary loads on the first import, outside the transaction.
  const { pinyinInitials } = await import('../../../shared/pinyin.js');
  try {
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('catalog_imports')
        .values({ id: input.importId, merchant_id: staff.merchantId, sha256: input.sha256, counts: JSON.stringify(counts), opening_store_id: openingStoreId, created_by: staff.staffId })
        .execute();
      const withoutBarcode = plan.newProducts.reduce((n, p) => n + p.rows.filter((r) => r.barcode === null).length, 0) + plan.newSkus.reduce((n, p) => n + p.rows.filter((r) => r.barcode === null).length, 0);
      const generated = await inStoreBarcodes(trx, staff.merchantId, withoutBarcode);
      const skuValues = (productId: string, r: CatalogRow) => ({
        id: newId('sku'),
        merchant_id: staff.merchantId,
        product_id: productId,
        barcode: r.barcode ?? generated.shift()!,
        spec: JSON.stringify(r.spec),
        retail_price_fen: r.retailFen,
        member_price_fen: r.memberFen,
        cost_fen: r.costFen,
        active: r.active,
      });
      const products = plan.newProducts.map((p) => ({ id: newId('product'), ...p }));
      for (const part of chunks(products)) {
        await trx
          .insertInto('products')
          .values(part.map((p) => ({ id: p.id, merchant_id: staff.merchantId, category_id: p.categoryId, name: p.name, pinyin: pinyinInitials(p.name), unit: p.unit })))
          .execute();
      }
      const newRows = [...products.flatMap((p) => p.rows.map((r) => ({ productId: p.id, r }))), ...plan.newSkus.flatMap((p) => p.rows.map((r) => ({ productId: p.productId, r })))];
      const skus = newRows.map(({ productId, r }) => skuValues(productId, r));
      for (const part of chunks(skus)) await trx.insertInto('skus').values(part).execute();
      // The new SKUs' stock, one movement each and one journal entry for the import, keyed by its id: the import row above makes a replay write none of it again.
      if (openingStoreId !== null) {
        const opening: OpeningLine[] = newRows.map(({ r }, i) => ({ skuId: skus[i]!.id, qty: r.openingQty, costFen: r.costFen }));
        await bookOpeningStock(trx, deps, staff, openingStoreId, input.importId, opening);
      }
      for (const part of chunks(plan.updates)) {
        const values = sql.join(part.map((u) => sql`(${u.skuId}::text, ${u.row.retailFen}::bigint, ${u.row.memberFen}::bigint, ${u.row.costFen}::bigint, ${u.row.active}::boolean)`));
        await sql`update skus s set retail_price_fen = v.retail, member_price_fen = v.member, cost_fen = v.cost, active = v.active
          from (values ${values}) as v(id, retail, member, cost, active)
          where s.id = v.id and s.merchant_id = ${staff.merchantId}`.execute(trx);
      }
      // Each changed price with its old and new value, so a wrong file can be traced and put back.
      for (const part of chunks(plan.updates)) {
        await trx
          .insertInto('catalog_import_changes')
          .values(
            part.map((u) => ({
              import_id: input.importId,
              merchant_id: staff.merchantId,
              sku_id: u.skuId,
              before: JSON.stringify(u.before),
              after: JSON.stringify({ retailFen: u.row.retailFen, memberFen: u.row.memberFen, costFen: u.row.costFen, active: u.row.active }),
            })),
          )
          .execute();
      }
      await audit(trx, { merchantId: staff.merchantId, actorId: staff.staffId, action: 'catalog.imported', subjectId: input.importId, detail: { sha256: input.sha256, ...counts, ...(openingStoreId ? { openingStoreId } : {}), changesIn: 'catalog_import_changes' } });
    });
  } catch (e) {
    const code = (e as { code?: string; constraint?: string }).code;
    if (code === '23505') {
      const replay = await replayOf(db, staff.merchantId, input.importId, input.sha256, input.namedStoreId);
      if (replay) return { ...replay, replayed: true };
      throw new AppError('conflict', '导入期间有条码被其他商品占用，请重新预览后再导入');
    }
    throw e;
  }
  return { counts, replayed: false, openingStoreId };
}
