import type { ColumnType } from 'kysely';

export type ReservationStatus = 'active' | 'picked_up' | 'expired' | 'cancelled';

export interface CustomerReservationsTable {
  id: string;
  merchant_id: string;
  store_id: string;
  request_hash: string;
  channel: 'counter' | 'shop';
  member_id: string | null;
  customer_name: string;
  customer_phone: string;
  /** The Asia/Shanghai business day by which the customer picks up; the holds expire after it. */
  pickup_by: string;
  status: ReservationStatus;
  note: ColumnType<string, string | undefined, string>;
  created_by: string | null;
  order_id: string | null;
  ended_at: ColumnType<Date, Date | string, Date | string> | null;
  created_at: ColumnType<Date, Date | string | undefined, never>;
}

export interface CustomerReservationLinesTable {
  reservation_id: string;
  merchant_id: string;
  sku_id: string;
  qty: number;
}

export interface ReservationTables {
  customer_reservations: CustomerReservationsTable;
  customer_reservation_lines: CustomerReservationLinesTable;
}
