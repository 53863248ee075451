import type { ColumnType, Generated } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

export interface CommissionRulesTable {
  id: string;
  merchant_id: string;
  scope: 'role' | 'category' | 'sku';
  role: 'owner' | 'manager' | 'assistant' | null;
  category_id: string | null;
  sku_id: string | null;
  kind: 'percent' | 'per_item';
  /** JSON text on insert; the drivers read jsonb back as a value. */
  tiers: ColumnType<unknown, string, string>;
  active: Generated<boolean>;
  created_by: string;
  created_at: CreatedAt;
}
export interface CommissionStatementsTable {
  id: string;
  merchant_id: string;
  staff_id: string;
  month: string;
  net_sales_fen: number;
  amount_fen: number;
  detail: ColumnType<unknown, string, string>;
  confirmed_by: string;
  confirmed_at: CreatedAt;
}

export interface CommissionTables {
  commission_rules: CommissionRulesTable;
  commission_statements: CommissionStatementsTable;
}
