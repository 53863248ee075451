import type { Migration } from '../migrator.js';

/**
 * The coupon-expiring reminder (#17): when a coupon's member was told it is
 * about to expire, so the sweep tells each coupon once. The partial index
 * holds only the unused coupons not yet told, which is what the sweep reads,
 * soonest expiry first.
 */
export const m0047_coupon_expiry_notice: Migration = {
  name: '0047_coupon_expiry_notice',
  up: [
    `alter table coupons add column expiry_noticed_at timestamptz`,
    `create index coupons_expiry_notice_due on coupons (merchant_id, valid_until) where status = 'available' and expiry_noticed_at is null`,
  ],
};
