import { points_level_multiplier_bp_one } from '../points/rules.js';

/**
 * A member level as the owner sets it: the threshold that reaches it and what
 * it gives. Levels saved before levels gave anything have neither field, and
 * give nothing: no discount and the plain points rate.
 */
export interface MemberLevelRule {
  name: string;
  minSpendFen: number;
  minVisits: number;
  /** Off the goods, in basis points: 1000 is 九折. */
  discountBp?: number;
  /** Points earned at this many basis points of the plain rate: 20000 earns double. */
  pointsMultiplierBp?: number;
}

export interface LevelBenefits {
  name: string;
  discountBp: number;
  pointsMultiplierBp: number;
}

/**
 * What a member's level gives, found by name among the merchant's levels;
 * the counter's preview and the server both call this, so they agree. A
 * level that is no longer configured (renamed or removed) gives nothing.
 */
export function levelBenefits(levels: readonly Pick<MemberLevelRule, 'name' | 'discountBp' | 'pointsMultiplierBp'>[], levelName: string | null | undefined): LevelBenefits {
  const level = levelName ? levels.find((l) => l.name === levelName) : undefined;
  return {
    name: levelName ?? '',
    discountBp: level?.discountBp ?? 0,
    pointsMultiplierBp: level?.pointsMultiplierBp ?? points_level_multiplier_bp_one,
  };
}

/** The engine's member level, or nothing when the level takes nothing off. */
export function pricingLevelOf(benefits: LevelBenefits): { name: string; discountBp: number } | undefined {
  return benefits.discountBp > 0 && benefits.name ? { name: benefits.name, discountBp: benefits.discountBp } : undefined;
}
