import type { Generated } from 'kysely';
import type { CreatedAt, Timestamp } from '../_db/column-types.js';

export interface MerchantsTable {
  id: string;
  name: string;
  created_at: CreatedAt;
}
export interface StoresTable {
  id: string;
  merchant_id: string;
  code: string;
  name: string;
  address: Generated<string>;
  phone: Generated<string>;
  business_hours: Generated<string>;
  active: Generated<boolean>;
  created_at: CreatedAt;
  /** A line printed under the store's name and address; '' for none. */
  receipt_header: Generated<string>;
  /** The receipt's closing words; '' for the default (receipt_footer_default). */
  receipt_footer: Generated<string>;
}
export interface StaffTable {
  id: string;
  merchant_id: string;
  name: string;
  role: 'owner' | 'manager' | 'assistant';
  active: Generated<boolean>;
  created_at: CreatedAt;
}
export interface StaffStoresTable {
  merchant_id: string;
  staff_id: string;
  store_id: string;
}
export interface StaffIdentitiesTable {
  platform: 'wechat' | 'alipay';
  open_id: string;
  staff_id: string;
  created_at: CreatedAt;
}
export interface StaffInvitesTable {
  code: string;
  merchant_id: string;
  name: string;
  role: 'owner' | 'manager' | 'assistant';
  store_ids: string[];
  created_by: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
  used_at: Timestamp | null;
  used_by: string | null;
}

/** The tables this module owns: only its own code writes them (tests/architecture/walls.test.ts). */
export interface IdentityTables {
  merchants: MerchantsTable;
  stores: StoresTable;
  staff: StaffTable;
  staff_stores: StaffStoresTable;
  staff_identities: StaffIdentitiesTable;
  staff_invites: StaffInvitesTable;
}
