/**
 * A trade customer's price for one SKU, as checkout prices it and the counter
 * previews it: a listed SKU sells at its list price (for member price too,
 * since a trade sale carries no member), any other at retail.
 */
export function atCustomerPrice<T extends { retailPriceFen: number; memberPriceFen: number }>(item: T, listPriceFen: number | undefined): T {
  return listPriceFen === undefined ? { ...item, memberPriceFen: item.retailPriceFen } : { ...item, retailPriceFen: listPriceFen, memberPriceFen: listPriceFen };
}
