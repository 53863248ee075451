import type { CreatedAt } from '../_db/column-types.js';

export interface MerchantSignUpsTable {
  id: string;
  request_hash: string;
  platform: 'wechat' | 'alipay';
  open_id: string;
  merchant_id: string;
  owner_id: string;
  created_at: CreatedAt;
}
export interface MerchantSetupMarksTable {
  merchant_id: string;
  step: 'store_qr';
  done_by: string;
  done_at: CreatedAt;
}

/** The tables this module owns: only its own code writes them (tests/architecture/walls.test.ts). */
export interface OnboardingTables {
  merchant_sign_ups: MerchantSignUpsTable;
  merchant_setup_marks: MerchantSetupMarksTable;
}
