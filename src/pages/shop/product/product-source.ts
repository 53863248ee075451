import type { ProductPage, ProductSummary } from '../../../../shared/api/catalog';
import { page_size_max } from '../../../../shared/api/limits';

/** Products the lists have shown, so the product page opens at once; bounded, oldest dropped first. */
export const handoff_products_max = 200;
/**
 * There is no single-product route yet, so a product page opened from a link
 * pages through the store's catalogue; this bounds that to 1,000 products.
 */
export const product_scan_pages_max = 10;

const handoff = new Map<string, ProductSummary>();

export function rememberProduct(product: ProductSummary): void {
  handoff.delete(product.id);
  handoff.set(product.id, product);
  while (handoff.size > handoff_products_max) {
    const oldest = handoff.keys().next().value;
    if (oldest === undefined) break;
    handoff.delete(oldest);
  }
}

export function rememberedProduct(id: string): ProductSummary | null {
  return handoff.get(id) ?? null;
}

/** Pages through the catalogue until the product turns up, the pages run out, or the bound is reached. */
export async function scanForProduct(
  id: string,
  loadPage: (cursor: string | undefined, limit: number) => Promise<ProductPage>,
  pagesMax: number = product_scan_pages_max,
): Promise<ProductSummary | null> {
  let cursor: string | undefined;
  for (let page = 0; page < pagesMax; page++) {
    const result = await loadPage(cursor, page_size_max);
    const found = result.items.find((p) => p.id === id);
    if (found) return found;
    if (result.nextCursor === null) return null;
    cursor = result.nextCursor;
  }
  return null;
}

export function productUrl(productId: string, storeCode: string): string {
  return `/pages/shop/product/index?id=${encodeURIComponent(productId)}&store=${encodeURIComponent(storeCode)}`;
}
