import type { Kysely } from 'kysely';
import { mulberry32 } from '../../shared/prng';
import type { DB } from '../../api/_db/schema';
import { recordMovements, type MovementInput } from '../../api/_stock/stock.repository';
import { postEntry } from '../../api/_ledger/journal.repository';
import { businessDate } from '../../api/_kernel/clock';
import { ean13 } from '../../shared/barcode';
import { newId } from '../../shared/ids';
import { pinyinInitials } from '../../shared/pinyin';
import { demoCatalog } from './demo-catalog';
import { demoMembers, demoMerchant, demoStaff, demoStores } from './demo-people';


function combinations(variants: Record<string, string[]> | undefined): Record<string, string>[] {
  let result: Record<string, string>[] = [{}];
  for (const [axis, values] of Object.entries(variants ?? {})) {
    result = result.flatMap((spec) => values.map((v) => ({ ...spec, [axis]: v })));
  }
  return result;
}

export interface SeedResult {
  seeded: boolean;
  merchantId: string;
  storeIds: Record<string, string>;
  staffIds: Record<string, string>;
  skuCount: number;
}

/**
 * Seeds the demo merchant once: a second run finds store DEMO01 and does
 * nothing. Everything goes in one transaction, so a half-seeded database
 * cannot happen.
 */
export async function seedDemo(db: Kysely<DB>): Promise<SeedResult> {
  const existing = await db.selectFrom('stores').select(['merchant_id']).where('code', '=', demoStores[0].code).executeTakeFirst();
  if (existing) {
    const stores = await db.selectFrom('stores').select(['id', 'code']).where('merchant_id', '=', existing.merchant_id).execute();
    const staff = await db.selectFrom('staff_identities').innerJoin('staff', 'staff.id', 'staff_identities.staff_id').select(['staff.id', 'staff_identities.open_id']).where('staff.merchant_id', '=', existing.merchant_id).where('staff_identities.platform', '=', 'wechat').execute();
    const skus = await db.selectFrom('skus').select(db.fn.countAll<number>().as('n')).where('merchant_id', '=', existing.merchant_id).executeTakeFirstOrThrow();
    return {
      seeded: false,
      merchantId: existing.merchant_id,
      storeIds: Object.fromEntries(stores.map((s) => [s.code, s.id])),
      staffIds: Object.fromEntries(demoStaff.map((d) => [d.key, staff.find((s) => s.open_id === d.wechat)?.id ?? ''])),
      skuCount: Number(skus.n),
    };
  }
  const random = mulberry32(20261123);
  return db.transaction().execute(async (trx) => {
    const merchantId = newId('merchant');
    await trx.insertInto('merchants').values({ id: merchantId, name: demoMerchant.name }).execute();
    // The demo shop takes payments with the deployment's own keys (direct mode, #18); in a service provider's
    // deployment its owner enters the sub-merchant number in 收款设置, which turns the row into partner mode.
    await trx
      .insertInto('merchant_payment_accounts')
      .values([
        { merchant_id: merchantId, channel: 'wechat', mode: 'direct', status: 'active' },
        { merchant_id: merchantId, channel: 'alipay', mode: 'direct', status: 'active' },
      ])
      .execute();
    const storeIds: Record<string, string> = {};
    for (const s of demoStores) {
      storeIds[s.code] = newId('store');
      await trx.insertInto('stores').values({ id: storeIds[s.code]!, merchant_id: merchantId, code: s.code, name: s.name, address: s.address }).execute();
    }
    const staffIds: Record<string, string> = {};
    for (const person of demoStaff) {
      const id = newId('staff');
      staffIds[person.key] = id;
      await trx.insertInto('staff').values({ id, merchant_id: merchantId, name: person.name, role: person.role }).execute();
      if (person.role !== 'owner') {
        await trx.insertInto('staff_stores').values(person.stores.map((code) => ({ merchant_id: merchantId, staff_id: id, store_id: storeIds[code]! }))).execute();
      }
      await trx.insertInto('staff_identities').values([
        { platform: 'wechat', open_id: person.wechat, staff_id: id },
        { platform: 'alipay', open_id: person.alipay, staff_id: id },
      ]).execute();
    }

    const movements: MovementInput[] = [];
    let item = 0;
    let sort = 0;
    let skuCount = 0;
    for (const [categoryName, products] of Object.entries(demoCatalog)) {
      const categoryId = newId('category');
      await trx.insertInto('categories').values({ id: categoryId, merchant_id: merchantId, name: categoryName, sort: sort++ }).execute();
      for (const p of products) {
        const productId = newId('product');
        await trx.insertInto('products').values({ id: productId, merchant_id: merchantId, category_id: categoryId, name: p.name, pinyin: pinyinInitials(p.name), unit: p.unit }).execute();
        const specs = combinations(p.variants);
        const skuRows = specs.map((spec, i) => {
          item++;
          // GS1 China prefix 69, a made-up company number, then the item number.
          const barcode = ean13(`69${'88021'}${String(item).padStart(5, '0')}`);
          // Larger packs cost more; variants of clothing share one price.
          const priceFen = p.priceFen + (p.variants?.规格 ? i * Math.round(p.priceFen * 0.6) : 0);
          return {
            id: newId('sku'),
            merchant_id: merchantId,
            product_id: productId,
            barcode,
            spec: JSON.stringify(spec),
            retail_price_fen: priceFen,
            member_price_fen: Math.floor((priceFen * 95) / 100),
            cost_fen: Math.floor((priceFen * 62) / 100),
          };
        });
        await trx.insertInto('skus').values(skuRows).execute();
        skuCount += skuRows.length;
        for (const sku of skuRows) {
          for (const code of Object.keys(storeIds)) {
            const qty = 5 + Math.floor(random() * 60);
            movements.push({
              merchantId,
              storeId: storeIds[code]!,
              skuId: sku.id,
              kind: 'receipt',
              onHandDelta: qty,
              refId: null,
              idempotencyKey: `seed:receipt:${code}:${sku.barcode}`,
              createdBy: staffIds.owner ?? null,
            });
          }
        }
      }
    }
    for (let i = 0; i < movements.length; i += 500) await recordMovements(trx, movements.slice(i, i + 500));
    // The opening stock enters the books at cost, against the owner's capital.
    const costBySku = new Map<string, number>();
    for (const row of await trx.selectFrom('skus').select(['id', 'cost_fen']).where('merchant_id', '=', merchantId).execute()) costBySku.set(row.id, row.cost_fen);
    for (const code of Object.keys(storeIds)) {
      const openingFen = movements.filter((m) => m.storeId === storeIds[code]).reduce((sum, m) => sum + m.onHandDelta * (costBySku.get(m.skuId) ?? 0), 0);
      await postEntry(trx, {
        merchantId,
        storeId: storeIds[code]!,
        eventKey: `opening_stock:${code}`,
        businessDate: businessDate(new Date()),
        memo: '期初库存',
        lines: [
          { account: 'inventory', debitFen: openingFen },
          { account: 'owner_equity', creditFen: openingFen },
        ],
      });
    }

    for (const m of demoMembers) {
      const id = newId('member');
      await trx.insertInto('members').values({ id, merchant_id: merchantId, name: m.name, phone: m.phone, wechat_openid: m.wechat, alipay_user_id: m.alipay, level: m.level }).execute();
      if (m.points > 0) {
        await trx.insertInto('points_ledger').values({ id: newId('points'), merchant_id: merchantId, member_id: id, delta: m.points, balance_after: m.points, reason: 'opening_balance', ref_id: null, idempotency_key: `seed:points:${m.phone}` }).execute();
      }
    }
    return { seeded: true, merchantId, storeIds, staffIds, skuCount };
  });
}
