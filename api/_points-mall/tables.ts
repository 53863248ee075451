import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt } from '../_db/column-types.js';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Touched = ColumnType<Date, Date | string | undefined, Date | string>;

export interface MallGiftsTable {
  id: string;
  merchant_id: string;
  sku_id: string;
  name: string;
  points_price: number;
  cash_fen: number;
  per_member_max: number;
  active: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: Touched;
}

export type MallRedemptionStatus = 'awaiting_pickup' | 'picked_up' | 'cancelled';

export interface MallRedemptionsTable {
  id: string;
  merchant_id: string;
  gift_id: string;
  member_id: string;
  store_id: string;
  sku_id: string;
  qty: number;
  points: number;
  cash_fen: number;
  channel: 'shop' | 'counter';
  status: MallRedemptionStatus;
  pickup_code: string | null;
  idempotency_key: string;
  request_hash: string;
  created_at: CreatedAt;
  picked_up_at: Timestamp | null;
  picked_up_by: string | null;
  cancelled_at: Timestamp | null;
  cancelled_by: string | null;
}

/** The tables this module owns: only its own code writes them (tests/architecture/walls.test.ts). */
export interface PointsMallTables {
  mall_gifts: MallGiftsTable;
  mall_redemptions: MallRedemptionsTable;
}
