/** Kysely's view of the report rollups (migration 0008). Amounts are fen, counts are whole numbers. */
export interface ReportOrderDailyTable {
  merchant_id: string;
  store_id: string;
  business_date: string;
  staff_id: string;
  channel: string;
  order_count: number;
  order_fen: number;
  item_qty: number;
  goods_fen: number;
  cost_fen: number;
  return_count: number;
  returned_qty: number;
  returned_fen: number;
  returned_cost_fen: number;
}
interface SkuRollupColumns {
  merchant_id: string;
  store_id: string;
  sku_id: string;
  category_id: string;
  sold_qty: number;
  sold_fen: number;
  sold_cost_fen: number;
  returned_qty: number;
  returned_fen: number;
  returned_cost_fen: number;
}
export interface ReportSkuDailyTable extends SkuRollupColumns {
  business_date: string;
}
export interface ReportSkuMonthlyTable extends SkuRollupColumns {
  /** The first day of the month. */
  month: string;
}
export type ReportSkuDailyAllTable = Omit<ReportSkuDailyTable, 'store_id'>;
export type ReportSkuMonthlyAllTable = Omit<ReportSkuMonthlyTable, 'store_id'>;
export interface ReportTenderDailyTable {
  merchant_id: string;
  store_id: string;
  business_date: string;
  method: string;
  taken_count: number;
  taken_fen: number;
  refund_count: number;
  refunded_fen: number;
}

export interface ReportsTables {
  report_order_daily: ReportOrderDailyTable;
  report_sku_daily: ReportSkuDailyTable;
  report_sku_monthly: ReportSkuMonthlyTable;
  report_sku_daily_all: ReportSkuDailyAllTable;
  report_sku_monthly_all: ReportSkuMonthlyAllTable;
  report_tender_daily: ReportTenderDailyTable;
}
