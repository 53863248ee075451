import type { ColumnType } from 'kysely';
import type { CreatedAt, Timestamp } from '../_db/column-types.js';

export interface OwnerAlertsTable {
  id: string;
  merchant_id: string;
  store_id: string | null;
  kind: string;
  subject_id: string | null;
  message: string;
  detail: ColumnType<unknown, string | undefined, never>;
  dedupe_key: string;
  created_at: CreatedAt;
  resolved_at: Timestamp | null;
  resolved_by: string | null;
}

/** The tables this module owns: only its own code writes them (tests/architecture/walls.test.ts). */
export interface AlertsTables {
  owner_alerts: OwnerAlertsTable;
}
