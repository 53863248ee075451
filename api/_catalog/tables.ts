import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt } from '../_db/column-types.js';

export interface CategoriesTable {
  id: string;
  merchant_id: string;
  name: string;
  sort: Generated<number>;
  /** The top-level category this one sits under, or null for a top-level one (two levels at most). */
  parent_id: Generated<string | null>;
  /** Left out of the shop's public catalog, with its children and products; the counter still sells them. */
  hidden: Generated<boolean>;
}
export interface ProductsTable {
  id: string;
  merchant_id: string;
  category_id: string;
  name: string;
  pinyin: Generated<string>;
  unit: Generated<string>;
  active: Generated<boolean>;
  created_at: CreatedAt;
}
export interface SkusTable {
  id: string;
  merchant_id: string;
  product_id: string;
  barcode: string;
  spec: ColumnType<Record<string, string>, string, string>;
  retail_price_fen: number;
  member_price_fen: number;
  cost_fen: number;
  active: Generated<boolean>;
}

/** One applied catalog import (商品导入), keyed by the id the client made when the owner tapped 导入. */
export interface CatalogImportsTable {
  id: string;
  merchant_id: string;
  sha256: string;
  /** Imports made before opening stock was importable lack the opening fields. */
  counts: ColumnType<{ rows: number; newProducts: number; newSkus: number; updatedSkus: number; unchangedSkus: number; openingSkus?: number; openingUnits?: number; openingValueFen?: number }, string, never>;
  /** The store the import's opening stock went into; null when it booked none. */
  opening_store_id: ColumnType<string | null, string | null | undefined, never>;
  created_by: string;
  created_at: CreatedAt;
}

/** One SKU's prices before and after a catalog import changed them. */
export interface CatalogImportChangesTable {
  import_id: string;
  merchant_id: string;
  sku_id: string;
  before: ColumnType<unknown, string, never>;
  after: ColumnType<unknown, string, never>;
}

/** A store's own price of a SKU; without a row the store sells at the merchant price. */
export interface StorePricesTable {
  merchant_id: string;
  store_id: string;
  sku_id: string;
  retail_price_fen: number;
  member_price_fen: number;
  updated_by: string;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** One applied bulk price change (批量调价), keyed by the id the client made before the owner tapped 应用. */
export interface PriceChangesTable {
  id: string;
  merchant_id: string;
  request_hash: string;
  result: ColumnType<unknown, string, never>;
  created_by: string;
  created_at: CreatedAt;
}

/** A product's photo (#15): the bytes are in the photo store under storage_key, shown from url. */
export interface ProductPhotosTable {
  id: string;
  merchant_id: string;
  product_id: string;
  url: string;
  storage_key: string;
  content_type: string;
  bytes: number;
  width: number;
  height: number;
  sort: Generated<number>;
  created_at: CreatedAt;
}

/** The tables this module owns: only its own code writes them (tests/architecture/walls.test.ts). */
export interface CatalogTables {
  categories: CategoriesTable;
  products: ProductsTable;
  skus: SkusTable;
  catalog_imports: CatalogImportsTable;
  catalog_import_changes: CatalogImportChangesTable;
  store_prices: StorePricesTable;
  price_changes: PriceChangesTable;
  product_photos: ProductPhotosTable;
}
