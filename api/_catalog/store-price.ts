import { sql, type AliasedRawBuilder } from 'kysely';

type PriceField = 'retail_price_fen' | 'member_price_fen';

/**
 * The one place that says what a SKU sells for in a store: the store's own
 * price where it has one (store_prices), else the merchant price on the SKU.
 * Every selling read (checkout and open orders through skusForSale, the
 * counter's product list and barcode scan, the shop's public catalog) joins
 * store_prices and selects through here, so no reader can forget the
 * override. One left join on the primary key keeps checkout at one query.
 */
function sellingPriceSql(field: PriceField, sku: string, override: string): string {
  return `coalesce(${override}.${field}, ${sku}.${field})`;
}

/** The selling price columns for raw SQL, named as the SKU's own columns. */
export function sellingPriceColumnsSql(sku: string, override: string): string {
  return `${sellingPriceSql('retail_price_fen', sku, override)} as retail_price_fen, ${sellingPriceSql('member_price_fen', sku, override)} as member_price_fen`;
}

/** The join that goes with `sellingPriceColumnsSql`; `storeParam` is the placeholder of the store id. */
export function storePriceJoinSql(sku: string, override: string, storeParam: string): string {
  return `left join store_prices ${override} on ${override}.store_id = ${storeParam} and ${override}.sku_id = ${sku}.id`;
}

/** The same columns for Kysely queries on `skus` that left-join store_prices as `store_price`. */
export function sellingPriceColumns(): [AliasedRawBuilder<number, 'retail_price_fen'>, AliasedRawBuilder<number, 'member_price_fen'>] {
  return [
    sql<number>`${sql.raw(sellingPriceSql('retail_price_fen', 'skus', 'store_price'))}`.as('retail_price_fen'),
    sql<number>`${sql.raw(sellingPriceSql('member_price_fen', 'skus', 'store_price'))}`.as('member_price_fen'),
  ];
}
