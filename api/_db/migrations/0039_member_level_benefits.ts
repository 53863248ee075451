import type { Migration } from '../migrator.js';

/**
 * Member levels that give something (#15). What a level gives (a discount and
 * a points multiplier) lives with the levels in merchant_settings.member_levels;
 * this records on each earning the multiplier it was earned at, so a later
 * change of the level's multiplier never makes an old earning look wrong.
 * Null on postings that are not earnings and on those made before levels gave
 * anything (they were earned at the plain rate).
 */
export const m0039_member_level_benefits: Migration = {
  name: '0039_member_level_benefits',
  up: [`alter table points_ledger add column multiplier_bp integer check (multiplier_bp between 0 and 100000)`],
};
