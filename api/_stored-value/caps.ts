import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../_db/schema.js';
import { prepaid_card_anonymous_cap_fen, stored_value_balance_cap_default_fen } from './limits.js';

type Db = Kysely<DB> | Transaction<DB>;

/** The merchant's cap per card: what the owner set, else the default (the registered card's legal cap). */
export async function merchantCapFen(db: Db, merchantId: string): Promise<number> {
  const row = await db.selectFrom('stored_value_settings').select('balance_cap_fen').where('merchant_id', '=', merchantId).executeTakeFirst();
  return row ? Number(row.balance_cap_fen) : stored_value_balance_cap_default_fen;
}

/**
 * The most one member's card may hold: the merchant's cap, and for a member
 * with no phone on record (an anonymous card, 不记名卡) at most the anonymous
 * card's legal cap.
 */
export async function memberCapFen(db: Db, merchantId: string, memberId: string): Promise<number> {
  const [cap, member] = await Promise.all([
    merchantCapFen(db, merchantId),
    db.selectFrom('members').select('phone').where('id', '=', memberId).where('merchant_id', '=', merchantId).executeTakeFirst(),
  ]);
  return member?.phone ? cap : Math.min(cap, prepaid_card_anonymous_cap_fen);
}
