import type { Kysely } from 'kysely';
import type { DB } from '../_db/schema.js';
import { merchantById } from '../_identity/index.js';
import type { MemberCentre } from '../../shared/api/members.js';
import { points_page_max, points_reason_labels } from '../../shared/api/members.js';
import type { MemberLevelRule } from '../../shared/pricing/member-level.js';
import { levelBenefits } from '../../shared/pricing/member-level.js';
import { memberCard } from './members.service.js';
import { pointsBalance } from './points.repository.js';

/**
 * What the member centre shows a member about themselves, read through their
 * own session only: the caller's principal names the member, never a query
 * parameter, so no request can read another member's page.
 */

function levelView(levels: readonly MemberLevelRule[], index: number) {
  const rule = levels[index];
  if (!rule) return null;
  const benefits = levelBenefits(levels, rule.name);
  return { name: rule.name, minSpendFen: rule.minSpendFen, minVisits: rule.minVisits, discountBp: benefits.discountBp, pointsMultiplierBp: benefits.pointsMultiplierBp };
}

export async function memberCentre(db: Kysely<DB>, me: { merchantId: string; memberId: string }, levels: readonly MemberLevelRule[]): Promise<MemberCentre> {
  const [card, merchant] = await Promise.all([memberCard(db, me.merchantId, { memberId: me.memberId }), merchantById(db, me.merchantId)]);
  const index = levels.findIndex((l) => l.name === card.level);
  return {
    member: { ...card, phoneBound: card.phoneMasked !== null },
    level: levelView(levels, index),
    nextLevel: levelView(levels, index + 1),
    merchant: { id: merchant.id, name: merchant.name },
  };
}

/** One page of the member's points ledger, newest first, with the live balance. */
export async function pointsPage(db: Kysely<DB>, me: { merchantId: string; memberId: string }, before: string | undefined) {
  let q = db
    .selectFrom('points_ledger')
    .select(['id', 'seq', 'delta', 'balance_after', 'reason', 'ref_id', 'created_at'])
    .where('merchant_id', '=', me.merchantId)
    .where('member_id', '=', me.memberId)
    .orderBy('seq', 'desc')
    .limit(points_page_max + 1);
  if (before !== undefined) q = q.where('seq', '<', Number(before));
  const [rows, balance] = await Promise.all([q.execute(), pointsBalance(db, me.memberId)]);
  const page = rows.slice(0, points_page_max);
  return {
    balance,
    items: page.map((r) => ({
      id: r.id,
      delta: Number(r.delta),
      balanceAfter: Number(r.balance_after),
      reason: r.reason,
      label: points_reason_labels[r.reason] ?? r.reason,
      refId: r.ref_id,
      at: new Date(r.created_at).toISOString(),
    })),
    next: rows.length > points_page_max ? String(page[page.length - 1]!.seq) : null,
  };
}
