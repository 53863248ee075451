import { moveOrdersToMember } from '../_sales/index.js';
import { moveReservationsToMember } from '../_reservations/index.js';
import { moveCouponsToMember } from '../_coupons/index.js';
import { moveStoredValueToMember } from '../_stored-value/index.js';
import { movePointsMallToMember } from '../_points-mall/index.js';
import { moveReferralsToMember } from '../_referrals/index.js';
import { moveMessagesToMember } from '../_messages/index.js';
import type { NamedMemberMover } from '../_members/index.js';

/**
 * Everything another module holds for a member, moved when two members merge
 * (#17), each by the module that owns it, in the merge's transaction. A
 * module that keeps rows per member (coupons, stored value, points-mall
 * redemptions, referrals, message consents…) exports one
 * `move<Thing>ToMember(trx, {merchantId, fromMemberId, toMemberId, mergeId})`
 * from its index.ts and is appended here. The list lives in this module, not
 * in api/_members, because those modules import the members module and an
 * import back would be a cycle.
 */
export const memberMovers: readonly NamedMemberMover[] = [
  { name: 'orders', move: moveOrdersToMember },
  { name: 'reservations', move: moveReservationsToMember },
  { name: 'coupons', move: moveCouponsToMember },
  { name: 'stored_value', move: moveStoredValueToMember },
  { name: 'points_mall', move: movePointsMallToMember },
  { name: 'referrals', move: moveReferralsToMember },
  { name: 'messages', move: moveMessagesToMember },
];
