import type { Kysely } from 'kysely';
import type { DB } from '../_db/schema.js';
import type { Deps } from '../_kernel/deps.js';
import { reconcile_fee_rate_ppm_default, reconcile_tolerance_fen_default } from './limits.js';

/** A merchant's reconciliation settings and the fee rounding, read by runs, repairs and reports alike. */

export async function reconcileSettings(deps: Deps, merchantId: string): Promise<{ toleranceFen: number; feeRatePpm: number }> {
  return reconcileSettingsOf(deps.db, merchantId);
}

export async function reconcileSettingsOf(db: Kysely<DB>, merchantId: string): Promise<{ toleranceFen: number; feeRatePpm: number }> {
  const s = await db.selectFrom('reconcile_settings').select(['tolerance_fen', 'fee_rate_ppm']).where('merchant_id', '=', merchantId).executeTakeFirst();
  return { toleranceFen: Number(s?.tolerance_fen ?? reconcile_tolerance_fen_default), feeRatePpm: Number(s?.fee_rate_ppm ?? reconcile_fee_rate_ppm_default) };
}

export function feeFenOf(milli: number): number {
  return Math.sign(milli) * Math.floor((Math.abs(milli) + 500) / 1000);
}
