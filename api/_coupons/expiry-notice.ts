import type { Kysely } from 'kysely';
import type { DB } from '../_db/schema.js';
import { couponExpiringData, queueMemberMessage } from '../_messages/index.js';
import { coupon_expiring_notice_batch_max, coupon_expiring_notice_hours } from './limits.js';

const hour_ms = 3_600_000;

/**
 * 优惠券即将到期: tells each member, once per coupon, that an unused coupon
 * expires within `coupon_expiring_notice_hours`. The jobs run it per merchant
 * every two minutes, just before the message sender, so the reminder goes out
 * in the same run. The coupons are claimed by setting `expiry_noticed_at`
 * where it is still null, over rows locked with SKIP LOCKED, and the message
 * is queued in that transaction: two overlapping sweeps tell a coupon once,
 * and a claimed coupon always has its message. At most
 * `coupon_expiring_notice_batch_max` coupons a run; the next run takes the rest.
 */
export async function noticeExpiringCoupons(db: Kysely<DB>, input: { merchantId: string; now: Date }): Promise<{ noticed: number }> {
  const { merchantId, now } = input;
  const horizon = new Date(now.getTime() + coupon_expiring_notice_hours * hour_ms);
  return db.transaction().execute(async (trx) => {
    const claimed = await trx
      .updateTable('coupons')
      .set({ expiry_noticed_at: now })
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('coupons')
          .select('id')
          .where('merchant_id', '=', merchantId)
          .where('status', '=', 'available')
          .where('expiry_noticed_at', 'is', null)
          .where('valid_until', '>', now)
          .where('valid_until', '<=', horizon)
          .orderBy('valid_until')
          .limit(coupon_expiring_notice_batch_max)
          .forUpdate()
          .skipLocked(),
      )
      .where('expiry_noticed_at', 'is', null)
      .returning(['id', 'member_id', 'template_id', 'valid_until'])
      .execute();
    if (claimed.length === 0) return { noticed: 0 };
    const templateIds = [...new Set(claimed.map((c) => c.template_id))];
    const names = new Map((await trx.selectFrom('coupon_templates').select(['id', 'name']).where('id', 'in', templateIds).execute()).map((t) => [t.id, t.name]));
    const shop = await trx.selectFrom('merchants').select('name').where('id', '=', merchantId).executeTakeFirstOrThrow();
    for (const c of claimed) {
      const data = couponExpiringData({ couponName: names.get(c.template_id) ?? '优惠券', expiresAt: new Date(c.valid_until), shopName: shop.name });
      await queueMemberMessage(trx, { merchantId, memberId: c.member_id, topic: 'coupon_expiring', data, idempotencyKey: `coupon_expiring:${c.id}`, now });
    }
    return { noticed: claimed.length };
  });
}
