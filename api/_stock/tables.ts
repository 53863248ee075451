import type { ColumnType, Generated } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Touched = ColumnType<Date, Date | string | undefined, Date | string>;

export type TransferStatus = 'requested' | 'shipped' | 'received' | 'received_short' | 'written_off' | 'cancelled';

export interface StockTransfersTable {
  id: string;
  merchant_id: string;
  from_store_id: string;
  to_store_id: string;
  status: TransferStatus;
  request_hash: string;
  note: Generated<string>;
  requested_by: string;
  shipped_by: string | null;
  shipped_at: Timestamp | null;
  received_by: string | null;
  received_at: Timestamp | null;
  written_off_by: string | null;
  written_off_at: Timestamp | null;
  write_off_note: string | null;
  created_at: CreatedAt;
}
export interface StockTransferLinesTable {
  transfer_id: string;
  merchant_id: string;
  line_no: number;
  sku_id: string;
  requested_qty: number;
  shipped_qty: number | null;
  received_qty: number | null;
  written_off_qty: Generated<number>;
  unit_cost_fen: number | null;
}
export type StocktakeStatus = 'counting' | 'approved' | 'cancelled';
export interface StocktakesTable {
  id: string;
  merchant_id: string;
  store_id: string;
  category_id: string | null;
  status: StocktakeStatus;
  started_by: string;
  started_at: CreatedAt;
  decided_by: string | null;
  decided_at: Timestamp | null;
  gain_fen: Generated<number>;
  loss_fen: Generated<number>;
}
export interface StocktakeLinesTable {
  stocktake_id: string;
  merchant_id: string;
  sku_id: string;
  expected_qty: number;
  counted_qty: number | null;
  book_at_count: number | null;
  counted_by: string | null;
  counted_at: Timestamp | null;
  adjusted_qty: number | null;
  unit_cost_fen: number | null;
}
export interface StocktakeScansTable {
  stocktake_id: string;
  client_scan_id: string;
  sku_id: string;
  mode: 'add' | 'set';
  qty: number;
  staff_id: string;
  created_at: CreatedAt;
}
export interface BatchTrackedSkusTable {
  merchant_id: string;
  sku_id: string;
  created_at: CreatedAt;
}
export interface StockBatchesTable {
  id: string;
  merchant_id: string;
  store_id: string;
  sku_id: string;
  batch_no: string;
  /** YYYY-MM-DD. */
  expires_on: string;
  qty: number;
  created_at: CreatedAt;
}
export interface StockBatchRecordsTable {
  merchant_id: string;
  idempotency_key: string;
  batch_id: string;
  qty: number;
  created_by: string | null;
  created_at: CreatedAt;
}
export interface StockLimitsTable {
  merchant_id: string;
  store_id: string;
  sku_id: string;
  min_qty: number | null;
  max_qty: number | null;
  updated_by: string | null;
  updated_at: Touched;
}
export interface StockAlertSettingsTable {
  merchant_id: string;
  no_sale_days: number;
  near_expiry_days: number;
  updated_at: Touched;
}

export interface StockOpsTables {
  stock_transfers: StockTransfersTable;
  stock_transfer_lines: StockTransferLinesTable;
  stocktakes: StocktakesTable;
  stocktake_lines: StocktakeLinesTable;
  stocktake_scans: StocktakeScansTable;
  batch_tracked_skus: BatchTrackedSkusTable;
  stock_batches: StockBatchesTable;
  stock_batch_records: StockBatchRecordsTable;
  stock_limits: StockLimitsTable;
  stock_alert_settings: StockAlertSettingsTable;
}

export type StockMovementKind = 'receipt' | 'sale' | 'return' | 'transfer_out' | 'transfer_in' | 'adjustment' | 'reserve' | 'release' | 'purchase_receipt' | 'purchase_return' | 'stocktake_adjust' | 'gift_out' | 'opening';
export interface StockMovementsTable {
  id: string;
  merchant_id: string;
  store_id: string;
  sku_id: string;
  kind: StockMovementKind;
  on_hand_delta: number;
  reserved_delta: Generated<number>;
  ref_id: string | null;
  idempotency_key: string;
  created_by: string | null;
  created_at: CreatedAt;
}
export interface StockLevelsTable {
  merchant_id: string;
  store_id: string;
  sku_id: string;
  on_hand: Generated<number>;
  reserved: Generated<number>;
}
export interface StockReservationsTable {
  id: string;
  merchant_id: string;
  store_id: string;
  order_id: string;
  sku_id: string;
  qty: number;
  status: 'active' | 'released' | 'consumed';
  expires_at: Timestamp;
  created_at: CreatedAt;
}

/** The tables this module owns: only its own code writes them (tests/architecture/walls.test.ts). */
export interface StockTables {
  stock_movements: StockMovementsTable;
  stock_levels: StockLevelsTable;
  stock_reservations: StockReservationsTable;
}
