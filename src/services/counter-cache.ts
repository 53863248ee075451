import type { ProductSummary } from '../../shared/api/catalog';
import { pricingContextResponse, type PricingContext } from '../../shared/api/orders';
import { matchesPinyin } from '../../shared/pinyin';
import { utf8Bytes, type KeyValue } from './outbox';

/**
 * What the counter keeps for billing offline: the store's last pricing
 * context and the products it has seen (searched or scanned), so a sale can
 * be priced with the prices last shown. Pure over a KeyValue.
 */

export const catalog_cache_products_max = 300;
/** One key, well under the 1 MB a mini-program key may hold. */
export const catalog_cache_bytes_max = 300 * 1024;
export const offline_search_results_max = 20;

const pricingKey = (storeId: string) => `guitai.counter.pricing.${storeId}`;
const catalogKey = (storeId: string) => `guitai.counter.catalog.${storeId}`;

export function savePricingContext(kv: KeyValue, storeId: string, context: PricingContext): void {
  kv.set(pricingKey(storeId), JSON.stringify(context));
}

export function loadPricingContext(kv: KeyValue, storeId: string): PricingContext | null {
  const raw = kv.get(pricingKey(storeId));
  if (!raw) return null;
  try {
    const parsed = pricingContextResponse.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function loadCatalog(kv: KeyValue, storeId: string): ProductSummary[] {
  const raw = kv.get(catalogKey(storeId));
  if (!raw) return [];
  try {
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed) ? (parsed as ProductSummary[]) : [];
  } catch {
    return [];
  }
}

/** Newest first; the oldest fall off past the count or byte limit. */
export function mergeCatalog(cached: readonly ProductSummary[], seen: readonly ProductSummary[]): ProductSummary[] {
  const ids = new Set(seen.map((p) => p.id));
  const merged = [...seen, ...cached.filter((p) => !ids.has(p.id))].slice(0, catalog_cache_products_max);
  while (merged.length > 0 && utf8Bytes(JSON.stringify(merged)) > catalog_cache_bytes_max) merged.pop();
  return merged;
}

export function rememberProducts(kv: KeyValue, storeId: string, seen: readonly ProductSummary[]): void {
  if (seen.length === 0) return;
  kv.set(catalogKey(storeId), JSON.stringify(mergeCatalog(loadCatalog(kv, storeId), seen)));
}

/**
 * Offline search, matching what the server's search finds: a barcode
 * exactly, otherwise the name containing the words typed, or its pinyin
 * (initials as the server stores them, or full pinyin). The pinyin goes
 * through the same shared function the server uses to store initials.
 */
export function searchCached(products: readonly ProductSummary[], q: string): ProductSummary[] {
  const query = q.trim().toLowerCase();
  if (query === '') return products.slice(0, offline_search_results_max);
  return products
    .filter((p) => p.skus.some((s) => s.barcode === query) || p.name.toLowerCase().includes(query) || matchesPinyin(p.name, query))
    .slice(0, offline_search_results_max);
}

export function findBarcode(products: readonly ProductSummary[], barcode: string): { product: ProductSummary; sku: ProductSummary['skus'][number] } | null {
  for (const product of products) {
    const sku = product.skus.find((s) => s.barcode === barcode);
    if (sku) return { product, sku };
  }
  return null;
}
