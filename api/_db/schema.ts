import type { AlertsTables } from '../_alerts/tables.js';
import type { AuditTables } from '../_audit/tables.js';
import type { CatalogTables } from '../_catalog/tables.js';
import type { CouponsTables } from '../_coupons/tables.js';
import type { CommissionTables } from '../_commission/tables.js';
import type { CreditTables } from '../_credit/tables.js';
import type { IdentityTables } from '../_identity/tables.js';
import type { JobsTables } from '../_jobs/tables.js';
import type { LedgerTables } from '../_ledger/tables.js';
import type { MembersTables } from '../_members/tables.js';
import type { MessagesTables } from '../_messages/tables.js';
import type { OnboardingTables } from '../_onboarding/tables.js';
import type { PaymentsTables } from '../_payments/tables.js';
import type { PromotionsTables } from '../_promotions/tables.js';
import type { PurchasingTables } from '../_purchasing/tables.js';
import type { ReconcileTables } from '../_reconcile/tables.js';
import type { ReportsTables } from '../_reports/tables.js';
import type { ReservationTables } from '../_reservations/tables.js';
import type { ReturnsTables } from '../_returns/tables.js';
import type { ShippingTables } from '../_shipping/tables.js';
import type { SalesTables } from '../_sales/tables.js';
import type { ShiftsTables } from '../_shifts/tables.js';
import type { SplitTables } from '../_split/tables.js';
import type { StockOpsTables, StockTables } from '../_stock/tables.js';
// Stored value (#17).
import type { StoredValueTables } from '../_stored-value/tables.js';
// Points mall and referral (#17).
import type { PointsMallTables } from '../_points-mall/tables.js';
import type { ReferralsTables } from '../_referrals/tables.js';

/**
 * Kysely's view of the whole database: only a merge. Each module declares
 * the tables it owns in its own `tables.ts` and joins them here, one line
 * each; the walls test reads those files to know who may write what. These
 * are type-only imports, the one place where the kernel names the modules.
 */
export interface DB
  extends AlertsTables,
    AuditTables,
    CatalogTables,
    CommissionTables,
    CouponsTables,
    CreditTables,
    IdentityTables,
    JobsTables,
    LedgerTables,
    MembersTables,
    MessagesTables,
    OnboardingTables,
    PaymentsTables,
    PromotionsTables,
    PurchasingTables,
    ReconcileTables,
    ReportsTables,
    ReservationTables,
    ReturnsTables,
    SalesTables,
    ShiftsTables,
    ShippingTables,
    SplitTables,
    StockOpsTables,
    StockTables,
    // Stored value (#17).
    StoredValueTables,
    // Points mall and referral (#17).
    PointsMallTables,
    ReferralsTables {}
