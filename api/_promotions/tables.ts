import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, Timestamp } from '../_db/column-types.js';

export interface PromotionsTable {
  id: string;
  merchant_id: string;
  store_id: string | null;
  kind: 'threshold' | 'bundle' | 'discount';
  name: string;
  definition: ColumnType<unknown, string, string>;
  active: Generated<boolean>;
  starts_at: Timestamp | null;
  ends_at: Timestamp | null;
  created_at: CreatedAt;
}
export interface MerchantSettingsTable {
  merchant_id: string;
  points_per_yuan: Generated<number>;
  points_redeem_per_fen: Generated<number>;
  points_redeem_cap_bp: Generated<number>;
  member_levels: ColumnType<{ name: string; minSpendFen: number; minVisits: number }[], string | undefined, string>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}
export interface StoreSettingsTable {
  store_id: string;
  merchant_id: string;
  cash_rounding: Generated<'none' | 'jiao' | 'yuan'>;
  reservation_ttl_minutes: Generated<number>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** The tables this module owns: only its own code writes them (tests/architecture/walls.test.ts). */
export interface PromotionsTables {
  promotions: PromotionsTable;
  merchant_settings: MerchantSettingsTable;
  store_settings: StoreSettingsTable;
}
