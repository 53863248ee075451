import { z } from 'zod';
import { fen, idOf } from './common.js';

/** Limits of stock operations, shared so the phone can refuse early. */
export const transfer_lines_max = 200;
export const transfer_qty_max = 99_999;
export const transfer_note_length_max = 80;
export const stocktake_lines_max = 5000;
export const stocktake_count_qty_max = 99_999;
export const stock_limits_per_request_max = 200;
export const batch_qty_max = 999_999;
/** 滞销: a SKU with stock and no sale for this many days is flagged, unless the merchant sets otherwise. */
export const stock_no_sale_days_default = 30;
/** 临期: a batch expiring within this many days is flagged, unless the merchant sets otherwise. */
export const batch_near_expiry_days_default = 30;
export const stock_alert_days_max = 365;

const qty = z.number().int().min(0).max(transfer_qty_max);
const skuId = idOf('sku');
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD');

export const transferStatus = z.enum(['requested', 'shipped', 'received', 'received_short', 'written_off', 'cancelled']);
export type TransferStatusName = z.infer<typeof transferStatus>;

export const createTransferRequest = z.strictObject({
  /** Made on the phone, so a retried request creates one transfer. */
  transferId: idOf('trf'),
  fromStoreId: idOf('sto'),
  toStoreId: idOf('sto'),
  note: z.string().trim().max(transfer_note_length_max).optional(),
  lines: z.array(z.strictObject({ skuId, qty: qty.min(1) })).min(1).max(transfer_lines_max),
});
export type CreateTransferRequest = z.infer<typeof createTransferRequest>;

/** Ship and receive list every SKU of the transfer with the quantity that left or arrived; 0 is allowed. */
export const transferQtyRequest = z.strictObject({
  lines: z.array(z.strictObject({ skuId, qty })).min(1).max(transfer_lines_max),
});
export type TransferQtyRequest = z.infer<typeof transferQtyRequest>;

export const writeOffRequest = z.strictObject({ note: z.string().trim().min(1).max(transfer_note_length_max) });

export const transferView = z.object({
  id: z.string(),
  fromStore: z.object({ id: z.string(), name: z.string() }),
  toStore: z.object({ id: z.string(), name: z.string() }),
  status: transferStatus,
  note: z.string(),
  createdAt: z.string(),
  shippedAt: z.string().nullable(),
  receivedAt: z.string().nullable(),
  writeOffNote: z.string().nullable(),
  lines: z.array(
    z.object({
      skuId: z.string(),
      name: z.string(),
      spec: z.string(),
      barcode: z.string(),
      requestedQty: z.number().int(),
      shippedQty: z.number().int().nullable(),
      receivedQty: z.number().int().nullable(),
      writtenOffQty: z.number().int(),
      /** Shipped, not yet received nor written off. */
      inTransitQty: z.number().int(),
      unitCostFen: fen.nullable(),
    }),
  ),
  inTransitQty: z.number().int(),
  inTransitFen: fen,
  /** Short receipt waiting for a manager to write off: shipped − received, at cost. */
  varianceQty: z.number().int(),
  varianceFen: fen,
});
export type TransferView = z.infer<typeof transferView>;
export const transferResponse = z.object({ transfer: transferView, replayed: z.boolean() });
export const transfersQuery = z.strictObject({ storeId: idOf('sto').optional(), status: transferStatus.optional() });
export const transfersResponse = z.object({
  items: z.array(transferView),
  inTransit: z.object({ qty: z.number().int(), valueFen: fen }),
});

export const stocktakeStatus = z.enum(['counting', 'approved', 'cancelled']);
export const startStocktakeRequest = z.strictObject({
  stocktakeId: idOf('stk'),
  storeId: idOf('sto'),
  /** Leave out for a full count of every active SKU. */
  categoryId: idOf('cat').optional(),
});
export const countRequest = z
  .strictObject({
    /** Made on the phone per scan, so a retried scan is counted once. */
    clientScanId: z.string().regex(/^[0-9A-Za-z_-]{8,64}$/, 'must be 8–64 letters, digits, _ or -'),
    barcode: z.string().regex(/^[0-9A-Za-z-]{4,32}$/).optional(),
    skuId: skuId.optional(),
    /** `add` adds to what was counted (a scan adds 1); `set` replaces it with an exact count. */
    mode: z.enum(['add', 'set']),
    qty: z.number().int().min(0).max(stocktake_count_qty_max),
  })
  .refine((r) => (r.barcode === undefined) !== (r.skuId === undefined), { message: 'give exactly one of barcode and skuId' });
export type CountRequest = z.infer<typeof countRequest>;
export const approveStocktakeRequest = z.strictObject({
  /** What to do with SKUs nobody counted: leave them as they are, or count them as none on the shelf. */
  uncounted: z.enum(['skip', 'zero']),
});

export const stocktakeLineView = z.object({
  skuId: z.string(),
  name: z.string(),
  spec: z.string(),
  barcode: z.string(),
  expectedQty: z.number().int(),
  countedQty: z.number().int().nullable(),
  /** The book quantity the count is compared with: the snapshot plus every movement up to the last count of this SKU. */
  bookQty: z.number().int(),
  varianceQty: z.number().int().nullable(),
  unitCostFen: fen,
  varianceFen: fen.nullable(),
  adjustedQty: z.number().int().nullable(),
});
export const stocktakeView = z.object({
  id: z.string(),
  storeId: z.string(),
  storeName: z.string(),
  categoryId: z.string().nullable(),
  categoryName: z.string().nullable(),
  status: stocktakeStatus,
  startedAt: z.string(),
  decidedAt: z.string().nullable(),
  lineCount: z.number().int(),
  countedCount: z.number().int(),
  gainFen: fen,
  lossFen: fen,
  lines: z.array(stocktakeLineView),
});
export type StocktakeView = z.infer<typeof stocktakeView>;
export const stocktakeResponse = z.object({ stocktake: stocktakeView, replayed: z.boolean() });
export const countResponse = z.object({ line: stocktakeLineView, replayed: z.boolean() });
export const stocktakesQuery = z.strictObject({ storeId: idOf('sto').optional(), status: stocktakeStatus.optional() });
export const stocktakesResponse = z.object({ items: z.array(stocktakeView.omit({ lines: true })) });

export const batchTrackingRequest = z.strictObject({ tracked: z.boolean() });
export const recordBatchRequest = z.strictObject({
  /** Made on the phone, so a retried record adds its quantity once. */
  clientBatchRecordId: z.string().regex(/^[0-9A-Za-z_-]{8,64}$/),
  storeId: idOf('sto'),
  skuId,
  batchNo: z.string().regex(/^[0-9A-Za-z._/-]{1,32}$/, 'batch numbers are 1–32 letters, digits or ._/-'),
  expiresOn: day,
  qty: z.number().int().min(1).max(batch_qty_max),
});
export const batchView = z.object({ id: z.string(), storeId: z.string(), skuId: z.string(), name: z.string(), batchNo: z.string(), expiresOn: z.string(), qty: z.number().int() });
export const batchResponse = z.object({ batch: batchView, replayed: z.boolean() });
export const batchesResponse = z.object({ items: z.array(batchView) });

export const stockLimitsRequest = z.strictObject({
  items: z
    .array(
      z
        .strictObject({ skuId, minQty: z.number().int().min(0).max(transfer_qty_max).nullable(), maxQty: z.number().int().min(1).max(transfer_qty_max).nullable() })
        .refine((l) => l.minQty === null || l.maxQty === null || l.minQty <= l.maxQty, { message: 'minQty must not be above maxQty' }),
    )
    .min(1)
    .max(stock_limits_per_request_max),
});
export const stockLimitsResponse = z.object({ items: z.array(z.object({ skuId: z.string(), minQty: z.number().int().nullable(), maxQty: z.number().int().nullable() })) });

export const stockAlertSettings = z.strictObject({
  noSaleDays: z.number().int().min(1).max(stock_alert_days_max),
  nearExpiryDays: z.number().int().min(1).max(stock_alert_days_max),
});
export const alertKind = z.enum(['below_min', 'above_max', 'no_sale', 'near_expiry']);
export type AlertKind = z.infer<typeof alertKind>;
export const stockAlertsResponse = z.object({
  storeId: z.string(),
  settings: stockAlertSettings,
  counts: z.record(alertKind, z.number().int()),
  items: z.array(
    z.object({
      skuId: z.string(),
      name: z.string(),
      spec: z.string(),
      barcode: z.string(),
      onHand: z.number().int(),
      reasons: z.array(z.object({ kind: alertKind, text: z.string() })),
    }),
  ),
});
export type StockAlerts = z.infer<typeof stockAlertsResponse>;
export const alertCountsResponse = z.object({
  items: z.array(z.object({ storeId: z.string(), counts: z.record(alertKind, z.number().int()), total: z.number().int() })),
});
