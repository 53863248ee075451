import { randomInt } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../_db/schema.js';
import { AppError } from '../_kernel/errors.js';
import type { Platform } from '../../shared/api/common.js';
import { newId } from '../../shared/ids.js';

export interface PlatformIdentity {
  platform: Platform;
  openId: string;
}

export interface NewStore {
  name: string;
  address: string;
  phone: string;
  businessHours: string;
}

/**
 * The platform ids a signed-in shopper's member record carries: the WeChat
 * openid and Alipay user id the platform gave at login. These become the
 * owner's login, so the same person signing in next time is staff.
 */
export async function memberPlatformIds(db: Kysely<DB>, merchantId: string, memberId: string): Promise<PlatformIdentity[]> {
  const m = await db.selectFrom('members').select(['wechat_openid', 'alipay_user_id']).where('id', '=', memberId).where('merchant_id', '=', merchantId).executeTakeFirst();
  if (!m) throw new AppError('unauthenticated', '账号不存在，请重新登录');
  const ids: PlatformIdentity[] = [];
  if (m.wechat_openid) ids.push({ platform: 'wechat', openId: m.wechat_openid });
  if (m.alipay_user_id) ids.push({ platform: 'alipay', openId: m.alipay_user_id });
  if (ids.length === 0) throw new AppError('forbidden', '请用微信或支付宝登录后再开店');
  return ids;
}

/** The shop whose staff one of these platform ids already signs in as, if any. */
export async function staffIdentityTaken(db: Kysely<DB> | Transaction<DB>, identities: PlatformIdentity[]): Promise<{ merchantName: string } | null> {
  for (const id of identities) {
    const row = await db
      .selectFrom('staff_identities')
      .innerJoin('staff', 'staff.id', 'staff_identities.staff_id')
      .innerJoin('merchants', 'merchants.id', 'staff.merchant_id')
      .select('merchants.name')
      .where('staff_identities.platform', '=', id.platform)
      .where('staff_identities.open_id', '=', id.openId)
      .executeTakeFirst();
    if (row) return { merchantName: row.name };
  }
  return null;
}

// No 0/O or 1/I: a store code is read off a sticker and typed.
const storeCodeAlphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export const store_code_length = 8;
export const store_code_attempts_max = 5;

function storeCode(): string {
  let code = '';
  for (let i = 0; i < store_code_length; i++) code += storeCodeAlphabet[randomInt(storeCodeAlphabet.length)];
  return code;
}

/**
 * Inserts a store with a fresh random code; a clash with an existing code is
 * skipped by `on conflict do nothing` (which leaves the transaction usable)
 * and another code is drawn.
 */
export async function insertStore(trx: Transaction<DB>, merchantId: string, store: NewStore, now: Date): Promise<{ id: string; code: string }> {
  for (let attempt = 0; attempt < store_code_attempts_max; attempt++) {
    const id = newId('store', now.getTime());
    const code = storeCode();
    const row = await trx
      .insertInto('stores')
      .values({ id, merchant_id: merchantId, code, name: store.name, address: store.address, phone: store.phone, business_hours: store.businessHours })
      .onConflict((oc) => oc.column('code').doNothing())
      .returning(['id', 'code'])
      .executeTakeFirst();
    if (row) return row;
  }
  throw new AppError('conflict', '门店编号生成失败，请重试');
}

/**
 * The merchant, its first store, its owner and the owner's platform logins,
 * inside the caller's transaction (sign-up adds the books to the same one).
 * A platform id bound meanwhile by someone else makes the insert find
 * nothing to do, and the whole sign-up is refused.
 */
export async function createMerchantRecords(
  trx: Transaction<DB>,
  input: { merchantId: string; ownerId: string; shopName: string; ownerName: string; store: NewStore; identities: PlatformIdentity[]; now: Date },
): Promise<{ merchantId: string; storeId: string; storeCode: string; ownerId: string }> {
  const { merchantId, ownerId } = input;
  await trx.insertInto('merchants').values({ id: merchantId, name: input.shopName }).execute();
  const store = await insertStore(trx, merchantId, input.store, input.now);
  await trx.insertInto('staff').values({ id: ownerId, merchant_id: merchantId, name: input.ownerName, role: 'owner' }).execute();
  const bound = await trx
    .insertInto('staff_identities')
    .values(input.identities.map((i) => ({ platform: i.platform, open_id: i.openId, staff_id: ownerId })))
    .onConflict((oc) => oc.columns(['platform', 'open_id']).doNothing())
    .returning('open_id')
    .execute();
  if (bound.length !== input.identities.length) throw new AppError('conflict', '此账号已是店员，不能再开店');
  return { merchantId, storeId: store.id, storeCode: store.code, ownerId };
}
