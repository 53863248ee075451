import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt } from '../_db/column-types.js';

export interface AuditLogTable {
  id: Generated<number>;
  merchant_id: string;
  actor_id: string | null;
  action: string;
  subject_id: string | null;
  detail: ColumnType<Record<string, unknown>, string | undefined, never>;
  created_at: CreatedAt;
}

/** The tables this module owns: only its own code writes them (tests/architecture/walls.test.ts). */
export interface AuditTables {
  audit_log: AuditLogTable;
}
