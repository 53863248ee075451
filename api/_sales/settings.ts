import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../_db/schema.js';
import type { LevelRule } from '../_members/index.js';

export interface SellingSettings {
  pointsPerYuan: number;
  /** This many points pay one fen. */
  redeemPointsPerFen: number;
  pointsRedeemCapBp: number;
  memberLevels: LevelRule[];
  cashRounding: 'none' | 'jiao' | 'yuan';
  reservationTtlMinutes: number;
}

/** A merchant or store without a settings row sells with these. */
export const default_selling_settings: SellingSettings = {
  pointsPerYuan: 1,
  redeemPointsPerFen: 1,
  pointsRedeemCapBp: 5000,
  memberLevels: [],
  cashRounding: 'none',
  reservationTtlMinutes: 15,
};

export async function sellingSettings(db: Kysely<DB> | Transaction<DB>, merchantId: string, storeId: string): Promise<SellingSettings> {
  const [m, s] = await Promise.all([
    db.selectFrom('merchant_settings').selectAll().where('merchant_id', '=', merchantId).executeTakeFirst(),
    db.selectFrom('store_settings').selectAll().where('store_id', '=', storeId).where('merchant_id', '=', merchantId).executeTakeFirst(),
  ]);
  return {
    pointsPerYuan: m?.points_per_yuan ?? default_selling_settings.pointsPerYuan,
    redeemPointsPerFen: m?.points_redeem_per_fen ?? default_selling_settings.redeemPointsPerFen,
    pointsRedeemCapBp: m?.points_redeem_cap_bp ?? default_selling_settings.pointsRedeemCapBp,
    memberLevels: m?.member_levels ?? default_selling_settings.memberLevels,
    cashRounding: s?.cash_rounding ?? default_selling_settings.cashRounding,
    reservationTtlMinutes: s?.reservation_ttl_minutes ?? default_selling_settings.reservationTtlMinutes,
  };
}

/** The merchant-wide part of the settings (points and levels), for the owner's settings screens. */
export async function merchantSellingSettings(db: Kysely<DB>, merchantId: string): Promise<Omit<SellingSettings, 'cashRounding' | 'reservationTtlMinutes'>> {
  const m = await db.selectFrom('merchant_settings').selectAll().where('merchant_id', '=', merchantId).executeTakeFirst();
  return {
    pointsPerYuan: m?.points_per_yuan ?? default_selling_settings.pointsPerYuan,
    redeemPointsPerFen: m?.points_redeem_per_fen ?? default_selling_settings.redeemPointsPerFen,
    pointsRedeemCapBp: m?.points_redeem_cap_bp ?? default_selling_settings.pointsRedeemCapBp,
    memberLevels: m?.member_levels ?? default_selling_settings.memberLevels,
  };
}
