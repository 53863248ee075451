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
});

export const catalogExportQuery = z.strictObject({ format: z.enum(['xlsx', 'csv']).default('xlsx') });

const rowProblem = z.object({ line: z.number().int(), column: z.string(), message: z.string() });
export type CatalogRowProblem = z.infer<typeof rowProblem>;

export const importCounts = z.object({ rows: z.number().int(), newProducts: z.number().int(), newSkus: z.number().int(), updatedSkus: z.number().int(), unchangedSkus: z.number().int() });

export const catalogImportResponse = z.object({
  applied: z.boolean(),
  replayed: z.boolean(),
  counts: importCounts,
  problems: z.array(rowProblem),
  problemCount: z.number().int(),
  warnings: z.array(rowProblem),
  warningCount: z.number().int(),
});
export type CatalogImportResponse = z.infer<typeof catalogImportResponse>;
