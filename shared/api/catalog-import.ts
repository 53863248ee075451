import { z } from 'zod';
import { idOf } from './common.js';

/** Problems listed in one answer; the count says how many there were in all. */
export const catalog_import_problems_shown_max = 500;

export const catalogImportQuery = z.strictObject({
  importId: idOf('cim'),
  /** Absent or false: a dry run that writes nothing. */
  apply: z.enum(['true', 'false']).optional(),
  /** The owner has seen the prices below cost and imports them as they are. */
  acceptBelowCost: z.enum(['true', 'false']).optional(),
  /** The store the file's opening stock (期初库存) goes into; absent, the caller's first store. Checked only when given or needed. */
  storeId: idOf('sto').optional(),
});

export const catalogExportQuery = z.strictObject({ format: z.enum(['xlsx', 'csv']).default('xlsx') });

const rowProblem = z.object({ line: z.number().int(), column: z.string(), message: z.string() });
export type CatalogRowProblem = z.infer<typeof rowProblem>;

export const importCounts = z.object({
  rows: z.number().int(),
  newProducts: z.number().int(),
  newSkus: z.number().int(),
  updatedSkus: z.number().int(),
  unchangedSkus: z.number().int(),
  /** New SKUs with opening stock, their units, and its value at cost in fen. */
  openingSkus: z.number().int(),
  openingUnits: z.number().int(),
  openingValueFen: z.number().int(),
});

export const catalogImportResponse = z.object({
  applied: z.boolean(),
  replayed: z.boolean(),
  counts: importCounts,
  problems: z.array(rowProblem),
  problemCount: z.number().int(),
  warnings: z.array(rowProblem),
  warningCount: z.number().int(),
  /** The store the opening stock is (or was) booked in; null when the file has none, or on a replay. */
  openingStoreId: z.string().nullable(),
});
export type CatalogImportResponse = z.infer<typeof catalogImportResponse>;
