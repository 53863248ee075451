import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../_db/schema.js';
import { AppError } from '../_kernel/errors.js';
import type { StaffPrincipal } from '../_kernel/context.js';
import { audit } from '../_audit/index.js';
import { category_depth_max, type AdminCategory, type UpdateCategoryRequest } from '../../shared/api/products.js';
import { newId } from '../../shared/ids.js';

type Db = Kysely<DB> | Transaction<DB>;

/**
 * One merchant's category changes run one at a time: a move checks the depth
 * of two rows, and two moves at once (A under B, B under A) would each pass
 * the check against the other's old state.
 */
async function lockCategories(trx: Transaction<DB>, merchantId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`categories:${merchantId}`}))`.execute(trx);
}

function depthError(detail: string): AppError {
  const reason = `分类最多 ${category_depth_max} 级（category_depth_max = ${category_depth_max}）：${detail}`;
  return new AppError('validation_failed', reason, [{ path: 'parentId', message: reason }]);
}

/** The parent a category may go under: a top-level category of the same merchant. */
async function parentFor(trx: Transaction<DB>, merchantId: string, parentId: string) {
  const parent = await trx.selectFrom('categories').select(['id', 'name', 'parent_id']).where('id', '=', parentId).where('merchant_id', '=', merchantId).executeTakeFirst();
  if (!parent) throw new AppError('not_found', `找不到分类 ${parentId}`);
  if (parent.parent_id !== null) throw depthError(`「${parent.name}」已是子分类，下面不能再放分类`);
  return parent;
}

/** The sort number that puts a category last among the children of `parentId` (null: the top level). */
async function nextSort(trx: Transaction<DB>, merchantId: string, parentId: string | null): Promise<number> {
  const row = await trx
    .selectFrom('categories')
    .select(sql<number | null>`max(sort)`.as('max'))
    .where('merchant_id', '=', merchantId)
    .where((eb) => (parentId === null ? eb('parent_id', 'is', null) : eb('parent_id', '=', parentId)))
    .executeTakeFirst();
  return row?.max === null || row?.max === undefined ? 0 : Number(row.max) + 1;
}

/**
 * Every category of the merchant in tree order (each top-level category
 * followed by its children), hidden ones included, with the number of
 * products filed directly under each.
 */
export async function listAdminCategories(db: Db, merchantId: string): Promise<{ items: AdminCategory[] }> {
  const rows = await db
    .selectFrom('categories')
    .select((eb) => [
      'id',
      'name',
      'sort',
      'parent_id',
      'hidden',
      eb.selectFrom('products').select(sql<number>`count(*)`.as('n')).whereRef('products.category_id', '=', 'categories.id').where('products.merchant_id', '=', merchantId).as('product_count'),
    ])
    .where('merchant_id', '=', merchantId)
    .orderBy('sort')
    .orderBy('id')
    .execute();
  const items = treeOrder(rows).map((r) => ({ id: r.id, name: r.name, sort: r.sort, parentId: r.parent_id, hidden: r.hidden, productCount: Number(r.product_count ?? 0) }));
  return { items };
}

/** Rows sorted by (sort, id) put in tree order: each top-level row, then its children. */
export function treeOrder<T extends { id: string; parent_id: string | null }>(rows: readonly T[]): T[] {
  const out: T[] = [];
  for (const top of rows.filter((r) => r.parent_id === null)) {
    out.push(top, ...rows.filter((r) => r.parent_id === top.id));
  }
  return out;
}

function conflictOnName(e: unknown, name: string | undefined): never {
  if ((e as { code?: string }).code === '23505') throw new AppError('conflict', `分类「${name ?? ''}」已存在`, [{ path: 'name', message: `分类「${name ?? ''}」已存在` }]);
  throw e;
}

export async function createCategory(db: Kysely<DB>, staff: StaffPrincipal, input: { name: string; sort?: number | undefined; parentId?: string | undefined }) {
  const id = newId('category');
  try {
    return await db.transaction().execute(async (trx) => {
      await lockCategories(trx, staff.merchantId);
      const parentId = input.parentId ?? null;
      if (parentId !== null) await parentFor(trx, staff.merchantId, parentId);
      const sort = input.sort ?? (await nextSort(trx, staff.merchantId, parentId));
      const row = await trx.insertInto('categories').values({ id, merchant_id: staff.merchantId, name: input.name, sort, parent_id: parentId }).returning(['id', 'name', 'sort']).executeTakeFirstOrThrow();
      await audit(trx, { merchantId: staff.merchantId, actorId: staff.staffId, action: 'category.created', subjectId: id, detail: { name: input.name, parentId } });
      return row;
    });
  } catch (e) {
    return conflictOnName(e, input.name);
  }
}

/**
 * Renames, moves or hides a category, audited with the old and new values.
 * A move keeps the tree two levels deep: the new parent is a top-level
 * category, and a category with children of its own stays at the top.
 */
export async function updateCategory(db: Kysely<DB>, staff: StaffPrincipal, categoryId: string, u: UpdateCategoryRequest): Promise<AdminCategory> {
  try {
    return await db.transaction().execute(async (trx) => {
      await lockCategories(trx, staff.merchantId);
      const before = await trx.selectFrom('categories').select(['id', 'name', 'sort', 'parent_id', 'hidden']).where('id', '=', categoryId).where('merchant_id', '=', staff.merchantId).executeTakeFirst();
      if (!before) throw new AppError('not_found', `找不到分类 ${categoryId}`);
      let parentId = before.parent_id;
      let sort = before.sort;
      if (u.parentId !== undefined && u.parentId !== before.parent_id) {
        if (u.parentId === categoryId) throw new AppError('validation_failed', '分类不能放在自己下面', [{ path: 'parentId', message: '分类不能放在自己下面' }]);
        if (u.parentId !== null) {
          await parentFor(trx, staff.merchantId, u.parentId);
          const child = await trx.selectFrom('categories').select('name').where('merchant_id', '=', staff.merchantId).where('parent_id', '=', categoryId).executeTakeFirst();
          if (child) throw depthError(`「${before.name}」下面还有子分类（如「${child.name}」），先把它们移走`);
        }
        parentId = u.parentId;
        sort = await nextSort(trx, staff.merchantId, parentId);
      }
      const after = await trx
        .updateTable('categories')
        .set({ name: u.name ?? before.name, hidden: u.hidden ?? before.hidden, parent_id: parentId, sort })
        .where('id', '=', categoryId)
        .returning(['id', 'name', 'sort', 'parent_id', 'hidden'])
        .executeTakeFirstOrThrow();
      await audit(trx, {
        merchantId: staff.merchantId,
        actorId: staff.staffId,
        action: 'category.updated',
        subjectId: categoryId,
        detail: { before: { name: before.name, parentId: before.parent_id, hidden: before.hidden }, after: { name: after.name, parentId: after.parent_id, hidden: after.hidden } },
      });
      const count = await trx.selectFrom('products').select(sql<number>`count(*)`.as('n')).where('merchant_id', '=', staff.merchantId).where('category_id', '=', categoryId).executeTakeFirstOrThrow();
      return { id: after.id, name: after.name, sort: after.sort, parentId: after.parent_id, hidden: after.hidden, productCount: Number(count.n) };
    });
  } catch (e) {
    return conflictOnName(e, u.name);
  }
}

/**
 * Puts the categories under one parent in the order given. The list names
 * every one of them, so an order made on a stale screen (a category added or
 * moved meanwhile) is refused instead of half applied.
 */
export async function reorderCategories(db: Kysely<DB>, staff: StaffPrincipal, input: { parentId: string | null; ids: string[] }): Promise<{ items: AdminCategory[] }> {
  await db.transaction().execute(async (trx) => {
    await lockCategories(trx, staff.merchantId);
    if (input.parentId !== null) {
      const parent = await trx.selectFrom('categories').select('id').where('id', '=', input.parentId).where('merchant_id', '=', staff.merchantId).executeTakeFirst();
      if (!parent) throw new AppError('not_found', `找不到分类 ${input.parentId}`);
    }
    const siblings = await trx
      .selectFrom('categories')
      .select(['id', 'sort'])
      .where('merchant_id', '=', staff.merchantId)
      .where((eb) => (input.parentId === null ? eb('parent_id', 'is', null) : eb('parent_id', '=', input.parentId)))
      .orderBy('sort')
      .orderBy('id')
      .execute();
    const given = new Set(input.ids);
    if (siblings.length !== given.size || siblings.some((s) => !given.has(s.id))) {
      throw new AppError('validation_failed', `排序须列出这一级的全部 ${siblings.length} 个分类，且只列它们；请刷新后再排`, [{ path: 'ids', message: `排序须列出这一级的全部 ${siblings.length} 个分类，且只列它们；请刷新后再排` }]);
    }
    for (const [sort, id] of input.ids.entries()) {
      await trx.updateTable('categories').set({ sort }).where('id', '=', id).where('merchant_id', '=', staff.merchantId).execute();
    }
    await audit(trx, { merchantId: staff.merchantId, actorId: staff.staffId, action: 'category.reordered', subjectId: input.parentId, detail: { parentId: input.parentId, before: siblings.map((s) => s.id), after: input.ids } });
  });
  return listAdminCategories(db, staff.merchantId);
}
