import type { Migration } from '../migrator.js';
import { m0009_reservations_health } from './0009_reservations_health.js';
import { m0001_foundation } from './0001_foundation.js';
import { m0002_ledger } from './0002_ledger.js';
import { m0003_selling } from './0003_selling.js';
import { m0004_payments } from './0004_payments.js';
import { m0005_purchasing } from './0005_purchasing.js';
import { m0006_stock_ops } from './0006_stock_ops.js';
import { m0007_credit_commission } from './0007_credit_commission.js';
import { m0008_report_rollups } from './0008_report_rollups.js';
import { m0011_split } from './0011_split.js';
import { m0017_order_tenders_by_order } from './0017_order_tenders_by_order.js';
import { m0010_reconcile } from './0010_reconcile.js';
import { m0013_reconcile_totals } from './0013_reconcile_totals.js';
import { m0015_bill_downloads } from './0015_bill_downloads.js';
import { m0018_order_cancellations } from './0018_order_cancellations.js';
import { m0019_lookup_indexes } from './0019_lookup_indexes.js';
import { m0020_bill_refund_lines } from './0020_bill_refund_lines.js';
import { m0021_bill_line_key } from './0021_bill_line_key.js';
import { m0022_bill_lines_range_index } from './0022_bill_lines_range_index.js';
import { m0023_deployment_claims } from './0023_deployment_claims.js';
import { m0028_shifts } from './0028_shifts.js';
import { m0029_hand_discounts } from './0029_hand_discounts.js';
import { m0030_merchant_payment_accounts } from './0030_merchant_payment_accounts.js';
import { m0032_job_runs } from './0032_job_runs.js';
import { m0036_catalog_imports } from './0036_catalog_imports.js';
import { m0037_product_photos } from './0037_product_photos.js';
import { m0038_store_prices } from './0038_store_prices.js';
import { m0039_member_level_benefits } from './0039_member_level_benefits.js';
import { m0046_catalog_import_changes } from './0046_catalog_import_changes.js';
import { m0047_coupon_expiry_notice } from './0047_coupon_expiry_notice.js';
import { m0048_shop_stored_value } from './0048_shop_stored_value.js';
import { m0049_category_tree } from './0049_category_tree.js';
import { m0050_opening_stock } from './0050_opening_stock.js';
// Member messages (#17, messages stream).
import { m0045_member_messages } from './0045_member_messages.js';
import { m0040_member_identity } from './0040_member_identity.js';
// Coupons (#17).
import { m0041_coupons } from './0041_coupons.js';

// Stored value (#17).
import { m0042_stored_value } from './0042_stored_value.js';
// Points mall and referral (#17).
import { m0043_points_mall } from './0043_points_mall.js';
import { m0044_referrals } from './0044_referrals.js';
import { m0034_shop_setup } from './0034_shop_setup.js';
import { m0024_shipping_uploads } from './0024_shipping_uploads.js';
import { m0027_pickup } from './0027_pickup.js';
import { m0025_hardening } from './0025_hardening.js';
import { m0051_store_receipt_texts } from './0051_store_receipt_texts.js';
import { m0052_order_line_parent_category } from './0052_order_line_parent_category.js';
import { m0053_catalog_import_opening_store } from './0053_catalog_import_opening_store.js';
import { m0054_discount_promotions } from './0054_discount_promotions.js';

/**
 * Every migration, in the order they run. One line each, so work on separate
 * modules adds its own line and merges cleanly.
 */
export const migrations: Migration[] = [
  m0001_foundation,
  m0002_ledger,
  m0003_selling,
  m0004_payments,
  m0005_purchasing,
  m0006_stock_ops,
  m0007_credit_commission,
  m0008_report_rollups,
  m0009_reservations_health,
  m0010_reconcile,
  m0011_split,
  m0013_reconcile_totals,
  m0015_bill_downloads,
  m0017_order_tenders_by_order,
  m0018_order_cancellations,
  m0019_lookup_indexes,
  m0020_bill_refund_lines,
  m0021_bill_line_key,
  m0022_bill_lines_range_index,
  m0023_deployment_claims,
  m0024_shipping_uploads,
  m0025_hardening,
  m0027_pickup,
  m0028_shifts,
  m0029_hand_discounts,
  m0030_merchant_payment_accounts,
  m0032_job_runs,
  m0034_shop_setup,
  m0036_catalog_imports,
  m0037_product_photos,
  m0038_store_prices,
  m0039_member_level_benefits,
  // members-identity stream (#17)
  m0040_member_identity,
  // Coupons (#17).
  m0041_coupons,
  // Stored value (#17).
  m0042_stored_value,
  // Points mall and referral (#17).
  m0043_points_mall,
  m0044_referrals,
  // Member messages (#17, messages stream).
  m0045_member_messages,
  m0046_catalog_import_changes,
  // Coupon-expiring reminders (#17 wiring).
  m0047_coupon_expiry_notice,
  m0048_shop_stored_value,
  // Catalog editing (#15).
  m0049_category_tree,
  m0050_opening_stock,
  m0051_store_receipt_texts,
  // Promotions on a parent category cover its children (#15).
  m0052_order_line_parent_category,
  // Opening stock in the catalog import (#15).
  m0053_catalog_import_opening_store,
  // 限时折扣 promotions (#15).
  m0054_discount_promotions,
];
